//! Is the process that a record names still that process? A pid alone cannot say: pids are
//! recycled, and a dead run must not look "running" because some other program got its pid.
//! On Linux the kernel's start time of the process (`/proc/<pid>/stat`, field 22) is recorded
//! with the pid and must match; elsewhere only the pid can be checked.

/// The start time of `pid` in clock ticks since boot, or `None` when the process does not
/// exist (or this platform has no `/proc`).
pub fn process_start_time(pid: u32) -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        parse_stat(&stat).map(|(_, start)| start)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        None
    }
}

/// This process's own start time, recorded by `task run`.
pub fn own_start_time() -> Option<u64> {
    process_start_time(std::process::id())
}

/// True when `pid` is running (not a zombie) and, where a start time was recorded and can be
/// read, started at that time.
pub fn is_alive(pid: u32, recorded_start: Option<u64>) -> bool {
    let Some(checked) = self::pid(pid) else {
        return false;
    };
    #[cfg(target_os = "linux")]
    if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        let Some((state, start)) = parse_stat(&stat) else {
            return false;
        };
        // A zombie has finished; only its parent has not collected it yet.
        if state == 'Z' || state == 'X' {
            return false;
        }
        return recorded_start.is_none_or(|recorded| recorded == start);
    }
    #[cfg(target_os = "linux")]
    if recorded_start.is_some() {
        // The start time was readable when recorded, and the process is gone from /proc now.
        return false;
    }
    // Signal 0 sends nothing; it only asks whether the pid exists (EPERM: it does, not ours).
    match rustix::process::test_kill_process(checked) {
        Ok(()) => true,
        Err(e) => e == rustix::io::Errno::PERM,
    }
}

/// `pid` as the kernel's pid type: `None` for 0 (which would mean "my process group") and for
/// numbers past `i32` (which would be negative: a group).
pub fn pid(pid: u32) -> Option<rustix::process::Pid> {
    rustix::process::Pid::from_raw(i32::try_from(pid).ok()?)
}

/// (state, start time) from the text of `/proc/<pid>/stat`. The command name (field 2) is in
/// parentheses and may itself hold spaces and parentheses, so fields are counted from the
/// last `)`.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn parse_stat(stat: &str) -> Option<(char, u64)> {
    let (_, rest) = stat.rsplit_once(") ")?;
    let mut fields = rest.split_ascii_whitespace();
    let state = fields.next()?.chars().next()?;
    // `rest` starts at field 3 (state); the start time is field 22.
    let start = fields.nth(22 - 4)?.parse().ok()?;
    Some((state, start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_fields_are_counted_after_the_command_name() {
        let stat = "123 (a) b (c) S 1 123 123 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1 0 \
                    987654 1000 100 18446744073709551615";
        assert_eq!(parse_stat(stat), Some(('S', 987_654)));
        assert_eq!(parse_stat("garbage"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn own_process_is_alive_only_with_its_own_start_time() {
        let me = std::process::id();
        let start = own_start_time().expect("own start time");
        assert!(is_alive(me, Some(start)));
        assert!(
            !is_alive(me, Some(start + 1)),
            "a recycled pid is not the run"
        );
        assert!(!is_alive(0, None));
    }
}
