//! Everything a frame shows. Only `update` changes it; views only read it.

use crate::api::{
    Account, Event, LedgerEntry, LedgerVerify, NodeInfo, ServerStatus, TaskInfo, TaskSummary,
};
use std::collections::{HashMap, VecDeque};

/// Events kept for the Events tab; older ones fall off the end.
pub const EVENTS_KEPT: usize = 2000;
/// Log lines kept for a task's live tail.
pub const LOG_LINES_KEPT: usize = 500;
/// Width of one throughput bucket, and how many are kept.
pub const BUCKET_MS: i64 = 10_000;
pub const BUCKETS_KEPT: usize = 120;
/// How long a message in the footer stays.
pub const FLASH_MS: i64 = 6_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Queue,
    Nodes,
    Credits,
    Events,
    Jobs,
}

/// How many tabs there are (the length of the per-tab arrays).
pub const TABS: usize = 5;

impl Tab {
    pub const ALL: [Tab; TABS] = [Tab::Queue, Tab::Nodes, Tab::Credits, Tab::Events, Tab::Jobs];

    pub fn index(self) -> usize {
        match self {
            Tab::Queue => 0,
            Tab::Nodes => 1,
            Tab::Credits => 2,
            Tab::Events => 3,
            Tab::Jobs => 4,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Tab::Queue => "Queue",
            Tab::Nodes => "Nodes",
            Tab::Credits => "Credits",
            Tab::Events => "Events",
            Tab::Jobs => "Jobs",
        }
    }
}

/// How the dashboard stands with the coordinator, as the header shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conn {
    /// Nothing answered yet.
    Connecting,
    /// Never reached; retrying. The reason is shown on the whole screen.
    Down(String),
    Live,
    /// Was live, lost the coordinator or its event stream; retrying.
    Reconnecting(String),
    /// The token was refused (401/403); nothing retries until `r`.
    Unauthorised(String),
}

impl Conn {
    pub fn label(&self) -> &'static str {
        match self {
            Conn::Connecting => "connecting",
            Conn::Down(_) => "unreachable",
            Conn::Live => "live",
            Conn::Reconnecting(_) => "reconnecting",
            Conn::Unauthorised(_) => "unauthorised",
        }
    }
}

/// What the keyboard is typing into, or which overlay has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Filter,
    Command,
    Confirm(Confirm),
    Help,
    /// Typing a search of the open task's log (after `/` in its detail).
    LogSearch,
}

/// An action waiting for `y`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    CancelTask(String),
    CancelJob(String),
}

/// The detail view that replaces the tab's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    Task(String),
    Node(String),
    Event(i64),
    Job(String),
}

/// The live data of the task whose detail is open.
#[derive(Debug, Clone, Default)]
pub struct TaskDetail {
    pub info: Option<TaskInfo>,
    pub attempt: u32,
    pub lines: VecDeque<String>,
    /// The end of the log that has no newline yet.
    pub partial: String,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListPos {
    pub selected: usize,
    pub offset: usize,
}

impl ListPos {
    /// Scrolls so the selected row lies within a page of `page` rows.
    pub fn keep_visible(&mut self, page: usize) {
        let page = page.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
    }
}

/// The credits area of the coordinator, as far as this token may see it.
#[derive(Debug, Clone, Default)]
pub enum Credits {
    #[default]
    Unknown,
    /// The coordinator has no credit routes (404 `no_route`).
    Disabled,
    /// Refused or failed, with the reason.
    Unavailable(String),
    Loaded(CreditData),
}

#[derive(Debug, Clone, Default)]
pub struct CreditData {
    pub accounts: Vec<Account>,
    /// Newest first.
    pub entries: Vec<LedgerEntry>,
    pub verify: Option<LedgerVerify>,
    /// Whether the token lists every account (admin, owner) or only its own (user).
    pub sees_every_account: bool,
}

/// One poll of the coordinator.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub status: ServerStatus,
    /// Newest first.
    pub tasks: Vec<TaskSummary>,
    pub nodes: Vec<NodeInfo>,
    pub at: i64,
}

/// Data that arrived while the display was frozen, applied when it is unfrozen.
#[derive(Debug, Default)]
pub struct Held {
    pub snapshot: Option<Box<Snapshot>>,
    pub credits: Option<Credits>,
    pub events: Vec<Event>,
    pub jobs: Option<super::jobs::JobsData>,
}

/// Tasks finished per bucket of `BUCKET_MS`, oldest first; the last bucket is filling.
#[derive(Debug, Clone, Default)]
pub struct Throughput {
    pub buckets: VecDeque<u64>,
    pub bucket_start: i64,
    /// Finished tasks (all terminal states) at the last snapshot.
    pub finished_total: Option<u64>,
}

impl Throughput {
    /// Moves the filling bucket forward to `now`, adding empty buckets for quiet periods.
    pub fn advance(&mut self, now: i64) {
        if self.buckets.is_empty() {
            self.buckets.push_back(0);
            self.bucket_start = now;
            return;
        }
        let mut steps = 0;
        while now - self.bucket_start >= BUCKET_MS && steps <= BUCKETS_KEPT {
            self.bucket_start += BUCKET_MS;
            self.buckets.push_back(0);
            steps += 1;
        }
        if now - self.bucket_start >= BUCKET_MS {
            self.bucket_start = now; // a long sleep: start again from now
        }
        while self.buckets.len() > BUCKETS_KEPT {
            self.buckets.pop_front();
        }
    }

    /// Records the finished total of a new snapshot.
    pub fn record(&mut self, now: i64, finished_total: u64) {
        self.advance(now);
        if let Some(before) = self.finished_total
            && let Some(last) = self.buckets.back_mut()
        {
            *last += finished_total.saturating_sub(before);
        }
        self.finished_total = Some(finished_total);
    }
}

/// The whole dashboard.
#[derive(Debug)]
pub struct State {
    pub url: String,
    pub read_only: bool,
    pub colour: bool,
    /// Terminal columns and rows.
    pub size: (u16, u16),
    /// Milliseconds since the epoch, set by ticks (views never read the clock).
    pub now: i64,
    pub conn: Conn,
    pub stream_up: bool,
    pub status: Option<ServerStatus>,
    pub tasks: Vec<TaskSummary>,
    pub task_index: HashMap<String, usize>,
    pub nodes: Vec<NodeInfo>,
    pub credits: Credits,
    /// Newest first.
    pub events: VecDeque<Event>,
    pub last_event_id: Option<i64>,
    pub throughput: Throughput,
    pub tab: Tab,
    pub pos: [ListPos; TABS],
    pub filters: [String; TABS],
    /// Rows of each tab's list that pass its filter (indices into its data).
    pub visible: [Vec<usize>; TABS],
    /// The jobs and their subtasks, and the rows of the Jobs tab they make.
    pub jobs: super::jobs::JobsData,
    pub job_rows: Vec<super::jobs::JobRow>,
    pub mode: Mode,
    /// What is being typed after `/` or `:`.
    pub input: String,
    pub detail: Option<Detail>,
    pub task_detail: TaskDetail,
    /// How the open task's log is looked at: search, wrapping.
    pub log: super::logview::LogView,
    pub frozen: bool,
    pub held: Held,
    pub expanded: bool,
    pub flash: Option<Flash>,
    pub last_poll_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub bad: bool,
    pub at: i64,
}

impl State {
    pub fn new(url: &str, read_only: bool, colour: bool, size: (u16, u16), now: i64) -> State {
        State {
            url: url.to_string(),
            read_only,
            colour,
            size,
            now,
            conn: Conn::Connecting,
            stream_up: false,
            status: None,
            tasks: Vec::new(),
            task_index: HashMap::new(),
            nodes: Vec::new(),
            credits: Credits::Unknown,
            events: VecDeque::new(),
            last_event_id: None,
            throughput: Throughput::default(),
            tab: Tab::Queue,
            pos: [ListPos::default(); TABS],
            jobs: Default::default(),
            job_rows: Vec::new(),
            filters: Default::default(),
            visible: Default::default(),
            mode: Mode::Normal,
            input: String::new(),
            detail: None,
            task_detail: TaskDetail::default(),
            log: Default::default(),
            frozen: false,
            held: Held::default(),
            expanded: false,
            flash: None,
            last_poll_at: None,
        }
    }

    /// Number of rows in a tab's list before filtering.
    pub fn list_len(&self, tab: Tab) -> usize {
        match tab {
            Tab::Queue => self.tasks.len(),
            Tab::Nodes => self.nodes.len(),
            Tab::Credits => match &self.credits {
                Credits::Loaded(d) => d.entries.len(),
                _ => 0,
            },
            Tab::Events => self.events.len(),
            Tab::Jobs => self.job_rows.len(),
        }
    }

    /// The text a filter is matched against for row `i` of a tab (lower case).
    fn row_text(&self, tab: Tab, i: usize) -> String {
        let text = match tab {
            Tab::Queue => self.tasks.get(i).map(|t| {
                format!(
                    "{} {} {} {}",
                    t.id,
                    t.state.as_str(),
                    t.node_id.as_deref().unwrap_or(""),
                    t.command
                )
            }),
            Tab::Nodes => self.nodes.get(i).map(|n| {
                let labels: Vec<String> =
                    n.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!(
                    "{} {} {} {} {} {}",
                    n.id,
                    n.name,
                    node_state(n),
                    labels.join(" "),
                    n.capabilities.hostname,
                    n.host_label()
                )
            }),
            Tab::Credits => match &self.credits {
                Credits::Loaded(d) => d.entries.get(i).map(|e| {
                    format!(
                        "{} {} {} {}",
                        e.seq,
                        e.kind,
                        e.account,
                        e.task_id.as_deref().unwrap_or("")
                    )
                }),
                _ => None,
            },
            Tab::Events => self.events.get(i).map(|e| {
                format!(
                    "{} {} {} {}",
                    e.kind,
                    e.task_id.as_deref().unwrap_or(""),
                    e.node_id.as_deref().unwrap_or(""),
                    e.data
                )
            }),
            Tab::Jobs => super::jobs::row_text(self, i),
        };
        text.unwrap_or_default().to_lowercase()
    }

    /// Recomputes which rows of `tab` pass its filter, keeping the selection in range.
    pub fn refilter(&mut self, tab: Tab) {
        let len = self.list_len(tab);
        let filter = self.filters[tab.index()].to_lowercase();
        let rows: Vec<usize> = if filter.is_empty() {
            (0..len).collect()
        } else {
            (0..len)
                .filter(|&i| self.row_text(tab, i).contains(&filter))
                .collect()
        };
        let pos = &mut self.pos[tab.index()];
        pos.selected = pos.selected.min(rows.len().saturating_sub(1));
        pos.offset = pos.offset.min(pos.selected);
        self.visible[tab.index()] = rows;
    }

    pub fn refilter_all(&mut self) {
        for tab in Tab::ALL {
            self.refilter(tab);
        }
    }

    /// The data index of the selected row of `tab`, if it has rows.
    pub fn selected_index(&self, tab: Tab) -> Option<usize> {
        self.visible[tab.index()]
            .get(self.pos[tab.index()].selected)
            .copied()
    }

    pub fn selected_task(&self) -> Option<&TaskSummary> {
        self.selected_index(Tab::Queue)
            .and_then(|i| self.tasks.get(i))
    }

    pub fn selected_node(&self) -> Option<&NodeInfo> {
        self.selected_index(Tab::Nodes)
            .and_then(|i| self.nodes.get(i))
    }

    pub fn selected_event(&self) -> Option<&Event> {
        self.selected_index(Tab::Events)
            .and_then(|i| self.events.get(i))
    }

    pub fn flash(&mut self, text: impl Into<String>, bad: bool) {
        self.flash = Some(Flash {
            text: text.into(),
            bad,
            at: self.now,
        });
    }

    /// Milli-credits a node has earned, when this token may know: an admin or owner sees every
    /// account (a node without one has earned nothing yet), a user only its own and its nodes'.
    pub fn node_earned(&self, node_id: &str) -> Option<i64> {
        match &self.credits {
            Credits::Loaded(d) => {
                let account = format!("node:{node_id}");
                let found = d.accounts.iter().find(|a| a.id == account);
                match found {
                    Some(a) => Some(a.earned),
                    None if d.sees_every_account => Some(0),
                    None => None,
                }
            }
            _ => None,
        }
    }
}

/// The one word for where a node stands, most important first.
pub fn node_state(n: &NodeInfo) -> &'static str {
    use crate::api::NodeState;
    if n.blacklisted {
        return "blacklisted";
    }
    match n.state {
        NodeState::Pending => "pending",
        NodeState::Rejected => "rejected",
        NodeState::Removed => "removed",
        NodeState::Approved if n.draining => "draining",
        NodeState::Approved if n.online && n.host_paused() => "paused",
        NodeState::Approved if n.online => "online",
        NodeState::Approved => "offline",
    }
}
