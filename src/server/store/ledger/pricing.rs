//! What a task costs: the hold at submission (the worst case) and the charge at completion (the
//! measured time), both in integer milli-credits with no floating point anywhere.

use std::time::Duration;

/// Pricing and credit settings, resolved by `cli::serve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pricing {
    /// Off with `serve --free`: nothing is held, charged or granted.
    pub enabled: bool,
    /// Milli-credits per CPU-second.
    pub cpu_per_second: i64,
    /// Milli-credits per GPU-second (a GPU task pays this per wall-clock second of its run).
    pub gpu_per_second: i64,
    /// Milli-credits per 1,000 tokens (prompt and answer) of an inference task.
    pub per_1k_tokens: i64,
    /// The least a task is held or charged.
    pub minimum: i64,
    /// COORDINATOR_FEE_BPS: the treasury's share of each charge.
    pub fee_bps: u32,
    /// Credits a new non-admin API token starts with (from the treasury).
    pub new_token_grant: i64,
    /// EdgeCoder's contribution-first gate: see [`super::charges`].
    pub contribution_first: bool,
    pub burst_allowance: i64,
}

impl Default for Pricing {
    fn default() -> Self {
        Pricing {
            enabled: true,
            cpu_per_second: 1,
            gpu_per_second: 4,
            per_1k_tokens: 20,
            minimum: 10,
            fee_bps: 500,
            new_token_grant: 100_000,
            contribution_first: false,
            burst_allowance: 10_000,
        }
    }
}

/// Ledger upkeep: checkpoints and issuance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerSettings {
    /// Sign a checkpoint after this many new entries…
    pub checkpoint_every: u64,
    /// …or this long after the last one, whichever comes first (when there are new entries).
    pub checkpoint_interval: Duration,
    /// Milli-credits issued per window, split among contributors by their verified work.
    pub issuance_amount: i64,
    pub issuance_window: Duration,
}

impl Default for LedgerSettings {
    fn default() -> Self {
        LedgerSettings {
            checkpoint_every: 1000,
            checkpoint_interval: Duration::from_secs(60),
            issuance_amount: 100_000,
            issuance_window: Duration::from_secs(3600),
        }
    }
}

/// Load multiplier in basis points from queue pressure (queued tasks per online node), as
/// EdgeCoder prices it: ≤ 0.5 → 0.8, ≤ 1 → 1.0, ≤ 2 → 1.25, more → 1.6. No node online counts
/// as one, so a queue with nobody to run it is priced as pressure, not divided by zero.
pub fn load_multiplier_bps(queued: u64, online: u64) -> u32 {
    let nodes = online.max(1) as u128;
    let queued = queued as u128;
    if queued * 2 <= nodes {
        8_000
    } else if queued <= nodes {
        10_000
    } else if queued <= nodes * 2 {
        12_500
    } else {
        16_000
    }
}

/// `ceil(ms × rate × multiplier / (1000 × 10000))`, at least `minimum`; None past i64.
fn price(ms: i128, rate: i64, multiplier_bps: u32, minimum: i64) -> Option<i64> {
    let scaled = ms
        .checked_mul(rate as i128)?
        .checked_mul(multiplier_bps as i128)?;
    let denom: i128 = 1000 * 10_000;
    let cost = (scaled + denom - 1) / denom;
    i64::try_from(cost.max(minimum as i128)).ok()
}

/// The hold of a task: its whole timeout at its rate and the multiplier of the moment.
pub fn hold(timeout_secs: u64, rate: i64, multiplier_bps: u32, minimum: i64) -> Option<i64> {
    price(
        (timeout_secs as i128).checked_mul(1000)?,
        rate,
        multiplier_bps,
        minimum,
    )
}

/// The charge of a settled task: its billable time at the agreed rate, never more than its hold.
pub fn charge(billable_ms: i64, rate: i64, multiplier_bps: u32, minimum: i64, hold: i64) -> i64 {
    price(billable_ms.max(0) as i128, rate, multiplier_bps, minimum)
        .unwrap_or(hold)
        .min(hold)
}

/// The price of `tokens` at `per_1k` milli-credits per 1,000 tokens, rounded up, at least
/// `minimum`; None past i64. Tokens carry no load multiplier: a token costs a node the same work
/// whatever the queue (docs/decisions.md, "Inference tasks through the swarm").
pub fn tokens_price(tokens: u64, per_1k: i64, minimum: i64) -> Option<i64> {
    let scaled = (tokens as i128).checked_mul(per_1k as i128)?;
    let cost = (scaled + 999) / 1000;
    i64::try_from(cost.max(minimum as i128)).ok()
}

/// The treasury's share of a charge, rounded down (the node keeps the odd milli-credit).
pub fn fee(charged: i64, fee_bps: u32) -> i64 {
    ((charged as i128 * fee_bps.min(10_000) as i128) / 10_000) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_multiplier_follows_queue_pressure() {
        assert_eq!(load_multiplier_bps(0, 0), 8_000);
        assert_eq!(load_multiplier_bps(1, 2), 8_000);
        assert_eq!(load_multiplier_bps(2, 2), 10_000);
        assert_eq!(load_multiplier_bps(4, 2), 12_500);
        assert_eq!(load_multiplier_bps(5, 2), 16_000);
        assert_eq!(load_multiplier_bps(3, 0), 16_000);
    }

    #[test]
    fn prices_are_exact_integers() {
        // 1 h at 1 milli/s × 1.25 = 4500 milli.
        assert_eq!(hold(3600, 1, 12_500, 10), Some(4500));
        assert_eq!(hold(1, 1, 8_000, 10), Some(10), "the minimum applies");
        assert_eq!(
            hold(u64::MAX, i64::MAX, 16_000, 0),
            None,
            "overflow is refused"
        );
        // 1234 ms at 4 milli/s × 1.0 = 4.936 → 5 (rounded up), under a hold of 100.
        assert_eq!(charge(1234, 4, 10_000, 1, 100), 5);
        assert_eq!(
            charge(10_000_000, 4, 10_000, 1, 100),
            100,
            "capped at the hold"
        );
        assert_eq!(fee(1999, 500), 99);
        // 1234 tokens at 20 milli per 1,000 = 24.68 → 25.
        assert_eq!(tokens_price(1234, 20, 1), Some(25));
        assert_eq!(tokens_price(10, 20, 10), Some(10), "the minimum applies");
        assert_eq!(tokens_price(u64::MAX, i64::MAX, 0), None);
        assert_eq!(fee(10, 20_000), 10, "a fee never exceeds the charge");
    }
}
