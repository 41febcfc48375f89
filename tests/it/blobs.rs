//! The blob store (issue 17) against a real coordinator: upload, HEAD, verified download, a wrong
//! hash and a body over the limit refused, a cut-off upload leaving nothing, and who may read.

use crate::common::*;
use edgecoder::api::*;
use sha2::{Digest, Sha256};
use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

const LIMIT: usize = 64 * 1024;

fn coordinator(sb: &Sandbox) -> Coordinator {
    let mut opts = coordinator_only();
    opts.env
        .push(("EDGECODER_MAX_BLOB_BYTES".into(), LIMIT.to_string()));
    Coordinator::start_with(sb, opts)
}

/// Every file under the blob store's directory (temp files included).
fn stored_files(data_dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path.display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(&data_dir.join("blobs"), &mut out);
    out.sort();
    out
}

#[tokio::test]
async fn upload_head_download_and_refusals() {
    let sb = Sandbox::new();
    let coord = coordinator(&sb);
    let admin = coord.admin();
    let work = tempfile::tempdir().expect("dir");
    let content: Vec<u8> = (0..40_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let file = work.path().join("blob.bin");
    std::fs::write(&file, &content).expect("write");
    let hash = sha(&content);

    assert_eq!(admin.blob_exists(&hash).await.expect("head"), None);
    let first = admin.put_blob(&hash, &file, None).await.expect("put");
    assert_eq!((first.size, first.created), (content.len() as u64, true));
    assert_eq!(
        admin.blob_exists(&hash).await.expect("head"),
        Some(content.len() as u64)
    );
    let again = admin.put_blob(&hash, &file, None).await.expect("put again");
    assert!(!again.created, "the same bytes twice are stored once");
    let stored = stored_files(&sb.data_dir());
    assert!(
        stored.len() == 1 && stored[0].ends_with(&format!("blobs/{}/{hash}", &hash[..2])),
        "{stored:?}"
    );

    let out = work.path().join("out.bin");
    admin.get_blob(&hash, &out).await.expect("get");
    assert_eq!(std::fs::read(&out).expect("read"), content);

    // A body whose hash is not the path's: refused, nothing stored.
    let url = |h: &str| format!("{}/api/v1/blobs/{h}", coord.url);
    let other = sha(b"something else");
    send(
        http()
            .put(url(&other))
            .bearer_auth(ADMIN_TOKEN)
            .body(b"not that".to_vec()),
    )
    .await
    .assert_error(422, "hash_mismatch");
    assert_eq!(admin.blob_exists(&other).await.expect("head"), None);
    // Over the limit: refused by its declared length before anything is written.
    let big = vec![1u8; LIMIT + 1];
    send(
        http()
            .put(url(&sha(&big)))
            .bearer_auth(ADMIN_TOKEN)
            .body(big.clone()),
    )
    .await
    .assert_error(413, "blob_too_large");
    // Not a hash: refused, so no path can be named.
    send(
        http()
            .get(url("..%2F..%2Fedgecoder.db"))
            .bearer_auth(ADMIN_TOKEN),
    )
    .await
    .assert_error(400, "bad_request");
    assert_eq!(stored_files(&sb.data_dir()).len(), 1);

    // Unauthenticated: refused.
    send(http().get(url(&hash)))
        .await
        .assert_error(401, "unauthorized");
    send(http().put(url(&hash)).body(content.clone()))
        .await
        .assert_error(401, "unauthorized");
    // A user may not read a blob of no task of its own; a node one of no task leased to it.
    let user = admin
        .create_token(&TokenCreateRequest {
            role: Some(Role::User),
            ..Default::default()
        })
        .await
        .expect("user token");
    let user = coord.client(&user.token);
    let err = user
        .get_blob(&hash, &work.path().join("u.bin"))
        .await
        .expect_err("not the user's");
    assert_eq!(err.status(), Some(404), "{err}");
    let (node, _) = enroll_node(&admin, "reader").await;
    let err = node
        .get_blob(&hash, &work.path().join("n.bin"))
        .await
        .expect_err("not the node's");
    assert_eq!(err.status(), Some(404), "{err}");
    assert!(!work.path().join("u.bin").exists() && !work.path().join("n.bin").exists());

    // Once a task of the user's refers to it, the user may read it.
    let mut req = SubmitRequest::argv(vec!["true".into()]);
    req.source = Some(TaskSource::Blob {
        sha256: hash.clone(),
        size: content.len() as u64,
    });
    let task = user.submit(&req).await.expect("submit").task;
    assert_eq!(task.source, req.source);
    user.get_blob(&hash, &work.path().join("u.bin"))
        .await
        .expect("the user's task's source");
    // A source that is not stored is refused at submission, saying what to do.
    req.source = Some(TaskSource::Blob {
        sha256: other,
        size: 1,
    });
    let err = user.submit(&req).await.expect_err("no such blob");
    assert!(err.to_string().contains("upload it first"), "{err}");
}

#[tokio::test]
async fn a_cut_off_upload_leaves_nothing() {
    let sb = Sandbox::new();
    let coord = coordinator(&sb);
    let hash = sha(&[7u8; 1000]);
    let addr = coord.url.trim_start_matches("http://").to_string();
    let mut conn = std::net::TcpStream::connect(&addr).expect("connect");
    write!(
        conn,
        "PUT /api/v1/blobs/{hash} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer \
         {ADMIN_TOKEN}\r\nContent-Length: 1000\r\n\r\n"
    )
    .expect("head");
    conn.write_all(&[7u8; 300]).expect("part of the body");
    conn.flush().expect("flush");
    // The coordinator has begun writing the temp file when it holds some of the body.
    eventually(Duration::from_secs(10), || async {
        (!stored_files(&sb.data_dir()).is_empty()).then_some(())
    })
    .await;
    drop(conn);
    eventually(Duration::from_secs(10), || async {
        stored_files(&sb.data_dir()).is_empty().then_some(())
    })
    .await;
    assert_eq!(coord.admin().blob_exists(&hash).await.expect("head"), None);
}
