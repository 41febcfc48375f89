//! A coding task's result in the task detail: how it ended, one line per model call with what
//! its check said, and the final files. The log panel below shows the loop's progress live; this
//! panel is what remains once it reported.

use crate::api::{CodeResult, CodeStatus};
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};

/// The panel's lines (a heading, the iterations, the files).
pub fn lines(code: &CodeResult, theme: Theme) -> Vec<Line<'static>> {
    let status_style = if code.status == CodeStatus::Succeeded {
        theme.good()
    } else {
        theme.bad()
    };
    let mut out = vec![Line::from(vec![
        Span::styled(code.status.as_str().to_string(), status_style),
        Span::raw(format!(
            " · {} via {} · tokens {} in / {} out",
            code.model, code.backend, code.tokens_in, code.tokens_out
        )),
    ])];
    if let Some(reason) = &code.reason {
        out.push(Line::styled(reason.clone(), theme.bad()));
    }
    for it in &code.iterations {
        let (verdict, style) = if it.check_passed {
            ("check passed", theme.good())
        } else {
            ("check failed", theme.bad())
        };
        out.push(Line::from(vec![
            Span::styled(format!("#{:<3}", it.number), theme.dim()),
            Span::styled(verdict, style),
            Span::raw(format!(
                " · exit {} · {:.1}s · {}/{} tokens{}",
                it.check_exit_code
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "-".into()),
                it.duration_ms as f64 / 1000.0,
                it.tokens_in,
                it.tokens_out,
                it.error
                    .as_deref()
                    .map(|e| format!(" · {e}"))
                    .unwrap_or_default()
            )),
        ]));
    }
    let files: Vec<&str> = code.files.iter().map(|f| f.path.as_str()).collect();
    out.push(Line::from(vec![
        Span::styled("files ", theme.dim()),
        Span::raw(if files.is_empty() {
            "(none)".to_string()
        } else {
            files.join(", ")
        }),
    ]));
    out
}
