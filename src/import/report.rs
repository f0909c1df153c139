//! What a preview keeps of its problems: the first ones by row, and every kind of problem
//! with its count and first rows — «Отрасль: «Спорт» не найдена — 333 строки (2, 5, 8…)»
//! instead of 333 lines, and a bounded record however broken the file.

use serde::{Deserialize, Serialize};

use super::{RowError, UnknownValue};

/// Problems kept row by row; the rest are counted in their groups.
pub const KEPT_PROBLEMS: usize = 1_000;
/// Kinds of problem kept; the rarest beyond these are counted together.
pub const KEPT_GROUPS: usize = 200;
/// Rows named for each kind.
const FIRST_ROWS: usize = 5;

/// Problems of one kind: the same message against the same column.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ProblemGroup {
    pub column: Option<String>,
    /// None for the group that counts the kinds not kept.
    pub message: Option<String>,
    pub count: usize,
    pub first_rows: Vec<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown: Option<UnknownValue>,
}

impl ProblemGroup {
    /// «2, 5, 8» and an ellipsis when there are more.
    pub fn rows_text(&self) -> String {
        let mut text = self
            .first_rows
            .iter()
            .map(|r| {
                if *r == 0 {
                    "—".to_owned()
                } else {
                    r.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        if self.count > self.first_rows.len() {
            text.push_str(", …");
        }
        text
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Every problem found, kept or not.
    pub total: usize,
    /// The first problems by row.
    pub kept: Vec<RowError>,
    /// Most frequent kinds first.
    pub groups: Vec<ProblemGroup>,
}

impl Report {
    /// Groups problems sorted by row and keeps the first of them.
    pub fn of(mut problems: Vec<RowError>) -> Report {
        let total = problems.len();
        let mut groups: Vec<ProblemGroup> = Vec::new();
        let mut index: std::collections::HashMap<(Option<&str>, &str), usize> =
            std::collections::HashMap::new();
        for p in &problems {
            let key = (p.column.as_deref(), p.message.as_str());
            let at = *index.entry(key).or_insert_with(|| {
                groups.push(ProblemGroup {
                    column: p.column.clone(),
                    message: Some(p.message.clone()),
                    count: 0,
                    first_rows: Vec::new(),
                    unknown: p.unknown.clone(),
                });
                groups.len() - 1
            });
            let group = &mut groups[at];
            group.count += 1;
            if group.first_rows.len() < FIRST_ROWS {
                group.first_rows.push(p.row);
            }
        }
        // Most frequent first; among equals, in the order the file shows them.
        groups.sort_by_key(|g| std::cmp::Reverse(g.count));
        if groups.len() > KEPT_GROUPS {
            let rest: Vec<ProblemGroup> = groups.split_off(KEPT_GROUPS - 1);
            groups.push(ProblemGroup {
                column: None,
                message: None,
                count: rest.iter().map(|g| g.count).sum(),
                first_rows: Vec::new(),
                unknown: None,
            });
        }
        problems.truncate(KEPT_PROBLEMS);
        Report {
            total,
            kept: problems,
            groups,
        }
    }

    pub fn is_clean(&self) -> bool {
        self.total == 0
    }

    /// The values the admin can map to a dictionary entry, each once.
    pub fn unknown_values(&self) -> Vec<&UnknownValue> {
        self.groups
            .iter()
            .filter_map(|g| g.unknown.as_ref())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(row: usize, column: &str, message: &str) -> RowError {
        RowError {
            row,
            column: Some(column.to_owned()),
            message: message.to_owned(),
            unknown: None,
        }
    }

    #[test]
    fn the_same_problem_on_many_rows_is_one_group_with_its_count() {
        let mut problems: Vec<RowError> = (0..333)
            .map(|i| problem(2 + 3 * i, "Сфера", "Отрасль «Спорт» не найдена"))
            .collect();
        problems.push(problem(4, "ИНН", "ИНН: 10 цифр"));
        problems.sort_by_key(|p| p.row);
        let report = Report::of(problems);
        assert_eq!(report.total, 334);
        assert_eq!(report.groups.len(), 2);
        let sport = &report.groups[0];
        assert_eq!(sport.count, 333);
        assert_eq!(sport.first_rows, vec![2, 5, 8, 11, 14]);
        assert_eq!(sport.rows_text(), "2, 5, 8, 11, 14, …");
        assert_eq!(report.groups[1].rows_text(), "4");
    }

    #[test]
    fn a_broken_file_keeps_a_bounded_report() {
        let problems: Vec<RowError> = (0..600_000)
            .map(|i| problem(2 + i, "ОГРН", &format!("повторяет строку {i}")))
            .collect();
        let report = Report::of(problems);
        assert_eq!(report.total, 600_000);
        assert_eq!(report.kept.len(), KEPT_PROBLEMS);
        assert_eq!(report.groups.len(), KEPT_GROUPS);
        let rest = report.groups.last().unwrap();
        assert_eq!(rest.message, None);
        assert_eq!(
            report.groups.iter().map(|g| g.count).sum::<usize>(),
            600_000,
            "every problem is counted somewhere"
        );
    }
}
