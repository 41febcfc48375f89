use super::*;

fn new_run(store: &Store, project: &str) -> (RunInfo, PathBuf) {
    let cmd = vec!["true".to_string()];
    store
        .create_run(&NewRun {
            project,
            cmd: &cmd,
            timeout_secs: 60,
        })
        .expect("create run")
}

#[test]
fn a_new_run_is_laid_out_as_documented_and_running() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().join("runs"));
    let (info, run_dir) = new_run(&store, "proj");
    let task_dir = dir.path().join("runs/proj").join(&info.task_id);
    assert_eq!(run_dir, task_dir.join("runs").join(&info.run_id));
    assert!(task_dir.join(TASK_FILE).is_file());
    assert_eq!(read_info(&run_dir).unwrap().status, Status::Running);
    // This process is alive, so the record shows as running.
    let scan = store.scan(None);
    assert_eq!(scan.runs.len(), 1);
    assert_eq!(scan.runs[0].status, Status::Running);
    assert!(dir.path().join("runs/.lock").exists());
}

#[test]
fn a_corrupt_record_is_reported_and_the_others_still_list() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let (_, good) = new_run(&store, "p");
    let (_, bad) = new_run(&store, "p");
    fs::write(bad.join(RUN_INFO_FILE), b"{not json").unwrap();
    let scan = store.scan(None);
    assert_eq!(scan.runs.len(), 1);
    assert_eq!(scan.runs[0].dir, good);
    assert_eq!(scan.corrupt.len(), 1);
    assert_eq!(scan.corrupt[0].path, bad.join(RUN_INFO_FILE));
}

#[test]
fn ids_resolve_by_unique_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    for id in ["abc111", "abc222", "abd333"] {
        fs::create_dir_all(dir.path().join("p").join(id)).unwrap();
    }
    assert_eq!(store.resolve("abd").unwrap().task_id, "abd333");
    assert_eq!(store.resolve("ABC1").unwrap().task_id, "abc111");
    assert_eq!(
        store.resolve("abc"),
        Err(ResolveError::Ambiguous(vec![
            "abc111".into(),
            "abc222".into()
        ]))
    );
    assert_eq!(store.resolve("fff"), Err(ResolveError::NotFound));
    assert_eq!(store.resolve("../p"), Err(ResolveError::NotFound));
    assert_eq!(store.resolve(""), Err(ResolveError::NotFound));
}

#[test]
fn removing_the_last_run_removes_its_task_and_empty_project() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let (info, run_dir) = new_run(&store, "p");
    let lock = store.lock().unwrap();
    assert!(store.remove_run(&run_dir, &lock).unwrap());
    assert!(!dir.path().join("p").join(&info.task_id).exists());
    assert!(!dir.path().join("p").exists());
    assert!(dir.path().join(".lock").exists());
}

#[test]
fn project_names_stay_inside_the_runs_dir() {
    for bad in ["", "..", ".hidden", "a/b", "-x", &"x".repeat(65)] {
        assert!(check_project(bad).is_err(), "{bad:?}");
    }
    check_project("my-proj_1.0").unwrap();
    assert_eq!(project_from_dir(Path::new("/home/u/My Repo")), "My-Repo");
    assert_eq!(project_from_dir(Path::new("/tmp/.tmpAbC")), "tmpAbC");
    assert_eq!(project_from_dir(Path::new("/")), FALLBACK_PROJECT);
}
