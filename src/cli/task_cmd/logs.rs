//! `task logs ID [-f]`: the run's stdout.txt to stdout and stderr.txt to stderr; with `-f`,
//! new output as it is written, until the run ends.

use super::{Local, POLL};
use crate::cli::exit::{CliError, OK};
use crate::runs::{self, STDERR_FILE, STDOUT_FILE, Status};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

pub fn print(local: &Local, id: &str, follow: bool) -> Result<u8, CliError> {
    let task = local.find(id)?;
    let run = local.latest_run(&task)?;
    let mut offsets = [0u64; 2];
    if !copy_new(&run.dir, &mut offsets)? || !follow {
        return Ok(OK);
    }
    loop {
        // Whether it had ended is read *before* the output, so what it wrote before ending
        // is all copied by this round.
        let ended = match runs::read_info(&run.dir) {
            Ok(info) => runs::effective_status(&info).0 != Status::Running,
            // Removed (`task rm`, `gc`) or damaged: nothing more will come.
            Err(_) => true,
        };
        if !copy_new(&run.dir, &mut offsets)? || ended {
            return Ok(OK);
        }
        std::thread::sleep(POLL);
    }
}

/// Copies what was added to both files since `offsets`. False once our own output is closed
/// (`task logs … | head`): there is no one left to print for.
fn copy_new(run_dir: &Path, offsets: &mut [u64; 2]) -> Result<bool, CliError> {
    let out = copy_from(
        &run_dir.join(STDOUT_FILE),
        &mut offsets[0],
        &mut io::stdout(),
    );
    let err = copy_from(
        &run_dir.join(STDERR_FILE),
        &mut offsets[1],
        &mut io::stderr(),
    );
    for result in [out, err] {
        match result {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(false),
            Err(e) => return Err(CliError::error(format!("reading the task's output: {e}"))),
        }
    }
    Ok(true)
}

fn copy_from(path: &Path, offset: &mut u64, to: &mut dyn Write) -> io::Result<()> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        // Not written yet (the run is starting) or already removed.
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    file.seek(SeekFrom::Start(*offset))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    if !bytes.is_empty() {
        to.write_all(&bytes)?;
        to.flush()?;
        *offset += bytes.len() as u64;
    }
    Ok(())
}
