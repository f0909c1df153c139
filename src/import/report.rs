//! What a preview keeps of its problems: the first ones by row, and every kind of problem
//! with its count and first rows — «Отрасль: «Спорт» не найдена — 333 строки (2, 5, 8…)»
//! instead of 333 lines, and a bounded record however broken the file.

use std::collections::{HashMap, HashSet};

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

/// A problem waiting for its place among the first kept, ordered by row, then by the order
/// problems were found.
struct Ranked {
    row: usize,
    seq: usize,
    problem: RowError,
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        (self.row, self.seq) == (other.row, other.seq)
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.row, self.seq).cmp(&(other.row, other.seq))
    }
}

/// Collects problems as they are found in bounded memory, however many there are: the
/// first `KEPT_PROBLEMS` by row, a count per kind, and which rows have any.
#[derive(Default)]
pub struct ReportBuilder {
    total: usize,
    /// The largest row on top, to be dropped when a smaller one arrives.
    kept: std::collections::BinaryHeap<Ranked>,
    groups: Vec<ProblemGroup>,
    index: HashMap<(Option<String>, String), usize>,
    /// Problems of kinds past the cap of kinds tracked.
    untracked: usize,
    rows: HashSet<usize>,
}

/// Kinds tracked one by one while collecting; the report keeps the most frequent of them.
const TRACKED_GROUPS: usize = 10 * KEPT_GROUPS;

impl ReportBuilder {
    pub fn add(&mut self, problem: RowError) {
        self.total += 1;
        self.rows.insert(problem.row);
        let key = (problem.column.clone(), problem.message.clone());
        match self.index.get(&key) {
            Some(at) => {
                let group = &mut self.groups[*at];
                group.count += 1;
                if group.first_rows.len() < FIRST_ROWS {
                    group.first_rows.push(problem.row);
                }
            }
            None if self.groups.len() < TRACKED_GROUPS => {
                self.index.insert(key, self.groups.len());
                self.groups.push(ProblemGroup {
                    column: problem.column.clone(),
                    message: Some(problem.message.clone()),
                    count: 1,
                    first_rows: vec![problem.row],
                    unknown: problem.unknown.clone(),
                });
            }
            None => self.untracked += 1,
        }
        let ranked = Ranked {
            row: problem.row,
            seq: self.total,
            problem,
        };
        if self.kept.len() < KEPT_PROBLEMS {
            self.kept.push(ranked);
        } else if self.kept.peek().is_some_and(|last| ranked < *last) {
            self.kept.pop();
            self.kept.push(ranked);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Whether a row has any problem: such rows are neither created nor changed.
    pub fn has_row(&self, row: usize) -> bool {
        self.rows.contains(&row)
    }

    pub fn finish(self) -> Report {
        let mut groups = self.groups;
        // Most frequent first; among equals, in the order the file shows them.
        groups.sort_by_key(|g| std::cmp::Reverse(g.count));
        let mut rest = self.untracked;
        if groups.len() > KEPT_GROUPS || rest > 0 {
            let keep = if groups.len() >= KEPT_GROUPS {
                KEPT_GROUPS - 1
            } else {
                groups.len()
            };
            rest += groups
                .split_off(keep)
                .iter()
                .map(|g| g.count)
                .sum::<usize>();
            groups.push(ProblemGroup {
                column: None,
                message: None,
                count: rest,
                first_rows: Vec::new(),
                unknown: None,
            });
        }
        Report {
            total: self.total,
            kept: self
                .kept
                .into_sorted_vec()
                .into_iter()
                .map(|r| r.problem)
                .collect(),
            groups,
        }
    }
}

impl Report {
    /// The report of a list of problems, in the order found.
    pub fn of(problems: Vec<RowError>) -> Report {
        let mut builder = ReportBuilder::default();
        for p in problems {
            builder.add(p);
        }
        builder.finish()
    }

    pub fn is_clean(&self) -> bool {
        self.total == 0
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
        assert_eq!(report.kept.first().map(|p| p.row), Some(2));
        assert_eq!(report.kept.last().map(|p| p.row), Some(KEPT_PROBLEMS + 1));
    }

    #[test]
    fn the_first_problems_by_row_are_kept_whatever_order_they_are_found_in() {
        // Checks run in passes: a later pass finds problems on earlier rows.
        let mut problems: Vec<RowError> = (0..1_500)
            .map(|i| problem(1_000 + i, "ИНН", "ИНН: 10 цифр"))
            .collect();
        problems.extend((0..10).map(|i| problem(2 + i, "Отрасль", "нет такой")));
        let report = Report::of(problems);
        assert_eq!(report.kept.len(), KEPT_PROBLEMS);
        assert_eq!(report.kept[0].row, 2);
        assert_eq!(report.kept[10].row, 1_000);
        assert_eq!(report.total, 1_510);
    }
}
