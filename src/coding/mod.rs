//! Coding tasks: a language model plans, writes files, runs a check in the sandbox and repairs
//! from its output until the check passes or the iterations run out. The same loop serves a
//! worker of the swarm (`agent::code_task`) and `edgecoder code` on this machine, so a local run
//! handed to the swarm continues exactly where it stopped.
//!
//! The model's output is untrusted input: `answer` refuses paths that escape the working dir,
//! `outputs` refuses them again when the files reach the user's disk.

pub mod answer;
pub mod inputs;
pub mod language;
pub mod outputs;

pub use answer::{Answer, AnswerError, parse_answer};
pub use inputs::{InputError, InputLimits, read_inputs};
pub use outputs::{OutputError, WriteReport, write_outputs};
