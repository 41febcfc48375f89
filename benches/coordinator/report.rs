//! What the coordinator benchmark prints: latency table, CPU per task, the phase-2 registry and
//! the summary with each target's verdict.

use crate::support::percentile;
use crate::*;

/// The coordinator's data dir after phase 1, against the tasks that had finished.
pub struct StoreSize {
    pub bytes: u64,
    pub finished: u64,
    /// Bytes per table and index, largest first.
    pub tables: Vec<(String, u64)>,
}

impl StoreSize {
    fn per_task(&self) -> f64 {
        self.bytes as f64 / self.finished.max(1) as f64
    }
}

/// Completions per second in consecutive slices of the window: a long run that slows down as
/// its tables grow shows it here.
fn slices(tp: &Throughput) -> Vec<f64> {
    let w = &tp.window;
    let len = (w.to - w.from).as_secs_f64();
    let slice = len.min(30.0);
    let n = (len / slice).floor().max(1.0) as usize;
    let mut counts = vec![0usize; n];
    for c in &tp.samples.complete {
        if c.at >= w.from && c.at < w.to {
            let i = ((c.at - w.from).as_secs_f64() / slice) as usize;
            if let Some(n) = counts.get_mut(i) {
                *n += 1;
            }
        }
    }
    counts.into_iter().map(|n| n as f64 / slice).collect()
}

#[allow(clippy::too_many_arguments)]
pub fn print(
    opts: &Opts,
    tp: &Throughput,
    queue: Option<&QueueSummary>,
    nodes_phase: Option<&Registry>,
    hwm: u64,
    load_end: &str,
    store: &StoreSize,
) {
    let w = &tp.window;
    let s = &tp.samples;
    let claim = w.ms_in(&s.claim);
    println!();
    println!(
        "== phase 1: throughput ({} agents, window {}–{} s) ==",
        opts.agents,
        w.from.as_secs(),
        w.to.as_secs()
    );
    println!(
        "  {:<26} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "call latency (ms)", "calls", "p50", "p90", "p99", "max"
    );
    print_latency("submit", &w.ms_in(&s.submit));
    print_latency("claim (returned a task)", &claim);
    print_latency("claim (came back empty)", &w.ms_in(&s.claim_empty));
    print_latency("start", &w.ms_in(&s.start));
    print_latency("complete", &w.ms_in(&s.complete));
    let heartbeat = w.ms_in(&s.heartbeat);
    print_latency("heartbeat", &heartbeat);
    let per_slice = slices(tp);
    if per_slice.len() > 1 {
        let text: Vec<String> = per_slice.iter().map(|t| format!("{t:.0}")).collect();
        println!("  tasks/s per 30 s slice: {}", text.join(", "));
    }
    println!(
        "  store on disk after phase 1: {:.1} MB for {} finished tasks = {:.0} bytes per task",
        store.bytes as f64 / 1e6,
        store.finished,
        store.per_task()
    );
    let per_table: Vec<String> = store
        .tables
        .iter()
        .take(8)
        .map(|(name, bytes)| format!("{name} {:.0}", *bytes as f64 / store.finished.max(1) as f64))
        .collect();
    if !per_table.is_empty() {
        println!("    bytes per task by table: {}", per_table.join(", "));
    }
    let others = ((tp.machine_busy_pct - tp.steal_pct) * cores() as f64
        - tp.coord_cpu_pct
        - tp.bench_cpu_pct)
        .max(0.0);
    println!(
        "  coordinator CPU {:.0} % of one core, bench (client side) CPU {:.0} %; \
         machine {:.0} % busy over {} cores (steal {:.0} %), other processes ≈ {:.0} % of one core",
        tp.coord_cpu_pct,
        tp.bench_cpu_pct,
        tp.machine_busy_pct,
        cores(),
        tp.steal_pct,
        others
    );
    let per_thread: Vec<String> = tp
        .threads
        .iter()
        .filter(|(_, pct, _)| *pct >= 0.5)
        .map(|(name, pct, n)| format!("{name} ×{n} {pct:.0} %"))
        .collect();
    println!("  coordinator CPU by thread: {}", per_thread.join(", "));
    if tp.tps > 0.0 {
        // CPU time per completed task (submit + claim + start + complete and their share of
        // heartbeats), and what the single store writer alone would allow at a full core.
        let writer = tp
            .threads
            .iter()
            .find(|(name, _, _)| name == "store-writer")
            .map_or(0.0, |(_, pct, _)| *pct);
        let per_task_us = |pct: f64| pct / 100.0 / tp.tps * 1e6;
        println!(
            "  CPU per task: coordinator {:.0} µs (store writer {:.0} µs), client {:.0} µs; \
             writer-bound ceiling ≈ {:.0} tasks/s",
            per_task_us(tp.coord_cpu_pct),
            per_task_us(writer),
            per_task_us(tp.bench_cpu_pct),
            if writer > 0.0 {
                1e6 / per_task_us(writer)
            } else {
                f64::NAN
            }
        );
    }
    println!(
        "  client errors: {}{}",
        tp.errors,
        if tp.first_errors.is_empty() {
            String::new()
        } else {
            format!(" (first: {})", tp.first_errors.join(" | "))
        }
    );
    println!(
        "  queued tasks during the window: {}–{}{}",
        tp.queued_min,
        tp.queued_max,
        if tp.queued_min == 0 {
            " (the queue ran dry: some claims waited for work; add --submitters)"
        } else {
            ""
        }
    );
    if let Some(q) = &queue {
        let counts: Vec<String> = q.counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!("  queue after phase 1: {}", counts.join(", "));
    }
    if let Some(r) = &nodes_phase {
        println!();
        println!("== phase 2: registry ==");
        println!(
            "  registered {} nodes in {:.1} s ({:.0}/s); {} heartbeats in {:.1} s ({:.0}/s)",
            r.registered,
            r.register_secs,
            r.registered as f64 / r.register_secs,
            r.heartbeats,
            r.heartbeat_secs,
            r.heartbeats as f64 / r.heartbeat_secs
        );
        println!(
            "  RSS: {:.1} MB before, {:.1} MB after registering, {:.1} MB after heartbeats",
            mb(r.rss_before_kib),
            mb(r.rss_registered_kib),
            mb(r.rss_after_kib)
        );
        println!(
            "  client errors: {}{}",
            r.errors,
            if r.first_errors.is_empty() {
                String::new()
            } else {
                format!(" (first: {})", r.first_errors.join(" | "))
            }
        );
    }

    println!();
    println!("== summary ({} cores, load average {load_end}) ==", cores());
    println!(
        "  {:<44} {:>12} {:>12} {:>8}",
        "measure", "value", "target", ""
    );
    println!(
        "  {:<44} {:>10.0}/s {:>10}/s {:>8}",
        format!("end-to-end no-op tasks ({} agents)", opts.agents),
        tp.tps,
        format!("≥ {TARGET_TPS:.0}"),
        verdict(tp.tps >= TARGET_TPS)
    );
    println!(
        "  {:<44} {:>9.2} ms",
        "claim latency p50",
        percentile(&claim, 0.5)
    );
    for (name, v) in [
        ("claim", &claim),
        ("submit", &w.ms_in(&s.submit)),
        ("complete", &w.ms_in(&s.complete)),
    ] {
        let p99 = percentile(v, 0.99);
        println!(
            "  {:<44} {:>9.2} ms {:>9} ms {:>8}",
            format!("{name} latency p99"),
            p99,
            format!("< {TARGET_P99_MS:.0}"),
            verdict(p99 < TARGET_P99_MS)
        );
    }
    let hb_p99 = percentile(&heartbeat, 0.99);
    println!(
        "  {:<44} {:>9.2} ms {:>9} ms {:>8}",
        format!("heartbeat latency p99 ({} agents)", opts.agents),
        hb_p99,
        format!("< {TARGET_HEARTBEAT_P99_MS:.0}"),
        verdict(hb_p99 < TARGET_HEARTBEAT_P99_MS)
    );
    if let (Some(first), true) = (per_slice.first(), per_slice.len() > 1) {
        let drift = 1.0 - tp.tps / first;
        println!(
            "  {:<44} {:>10.1} % {:>10} % {:>8}",
            "whole window below its first 30 s",
            drift * 100.0,
            format!("≤ {:.0}", TARGET_DRIFT * 100.0),
            verdict(drift <= TARGET_DRIFT)
        );
    }
    println!(
        "  {:<44} {:>11.0} B {:>11} B {:>8}",
        "store bytes per finished task",
        store.per_task(),
        format!("≤ {TARGET_BYTES_PER_TASK:.0}"),
        verdict(store.per_task() <= TARGET_BYTES_PER_TASK)
    );
    println!(
        "  {:<44} {:>9.1} MB",
        "coordinator RSS at start",
        mb(tp.rss_before_kib)
    );
    println!(
        "  {:<44} {:>9.1} MB",
        "coordinator RSS peak during phase 1",
        mb(tp.rss_peak_sampled_kib.max(tp.rss_after_kib))
    );
    if let Some(r) = &nodes_phase {
        println!(
            "  {:<44} {:>9.1} MB {:>9} MB {:>8}",
            format!("coordinator RSS with {} nodes", r.registered),
            mb(r.rss_after_kib),
            format!("< {TARGET_RSS_MB:.0}"),
            verdict(mb(r.rss_after_kib) < TARGET_RSS_MB)
        );
    }
    println!(
        "  {:<44} {:>9.1} MB",
        "coordinator VmHWM (peak over the run)",
        mb(hwm)
    );
    println!(
        "  tasks completed in the window: {} of {} completions",
        tp.completed,
        s.complete.len()
    );
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}
