//! One way every list pages: the page number read from the URL, the counted matches, the
//! links either side keeping the list's filters, and one template macro (`macros.html`
//! `pager`) that shows them.

/// Rows on one page of any list.
pub const PAGE_SIZE: i64 = 50;
/// Deeper pages are not offered: no one reads page 100,001 of anything, and the offset
/// would make the database walk past every row before it.
const MAX_PAGE: i64 = 100_000;

/// The page a URL asks for; 1 when it asks for none or for nonsense.
pub fn page_number(raw: Option<&str>) -> i64 {
    raw.and_then(|p| p.trim().parse::<i64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
        .min(MAX_PAGE)
}

/// The rows to skip for a page.
pub fn offset(page: i64) -> i64 {
    (page - 1) * PAGE_SIZE
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    /// Counting stopped at a cap: `total` and `pages` are lower bounds.
    pub capped: bool,
    /// How the list words its total instead of the plain number, if it does.
    pub label: Option<String>,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The last page's address when the URL asked for a page past it.
    past_the_end: Option<String>,
}

impl Pager {
    /// `link(n)` is the address of page `n` with the list's filters.
    pub fn new(page: i64, total: i64, link: impl Fn(i64) -> String) -> Pager {
        let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
        Pager {
            page,
            pages,
            total,
            capped: false,
            label: None,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
            past_the_end: (page > pages).then(|| link(pages)),
        }
    }

    /// Where a list sends a URL that asks for a page past its last one: to the last page,
    /// rather than an empty page numbered «100000 / 62».
    pub fn past_the_end(&self) -> Option<&str> {
        self.past_the_end.as_deref()
    }

    /// A list that stops counting at `cap` matches: pages up to the cap, the next page
    /// offered while there are more rows.
    pub fn capped_at(mut self, cap: i64, link: impl Fn(i64) -> String) -> Pager {
        if self.total > cap {
            self.capped = true;
            self.pages = ((cap + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
            self.next = (self.page * PAGE_SIZE < self.total).then(|| link(self.page + 1));
        }
        self
    }

    pub fn labelled(mut self, label: String) -> Pager {
        self.label = Some(label);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_from_the_url() {
        assert_eq!(page_number(None), 1);
        assert_eq!(page_number(Some("3")), 3);
        assert_eq!(page_number(Some(" 2 ")), 2);
        assert_eq!(page_number(Some("0")), 1);
        assert_eq!(page_number(Some("-4")), 1);
        assert_eq!(page_number(Some("два")), 1);
        assert_eq!(page_number(Some("999999999")), MAX_PAGE);
        assert_eq!(offset(3), 100);
    }

    #[test]
    fn links_either_side_while_there_are_rows() {
        let link = |n: i64| format!("?page={n}");
        let first = Pager::new(1, 120, link);
        assert_eq!(
            (first.pages, first.prev, first.next.as_deref()),
            (3, None, Some("?page=2"))
        );
        let last = Pager::new(3, 120, link);
        assert_eq!((last.prev.as_deref(), last.next), (Some("?page=2"), None));
        let empty = Pager::new(1, 0, link);
        assert_eq!((empty.pages, empty.next), (1, None));
    }

    #[test]
    fn a_page_past_the_last_leads_to_the_last() {
        let link = |n: i64| format!("?page={n}");
        assert_eq!(
            Pager::new(100_000, 3_080, link).past_the_end(),
            Some("?page=62")
        );
        assert_eq!(Pager::new(62, 3_080, link).past_the_end(), None);
        assert_eq!(Pager::new(1, 0, link).past_the_end(), None);
        assert_eq!(Pager::new(2, 0, link).past_the_end(), Some("?page=1"));
    }

    #[test]
    fn a_capped_count_keeps_offering_the_next_page() {
        let link = |n: i64| format!("?page={n}");
        let p = Pager::new(200, 10_001, link).capped_at(10_000, link);
        assert!(p.capped);
        assert_eq!(p.pages, 200);
        assert_eq!(p.next.as_deref(), Some("?page=201"));
        let under = Pager::new(2, 60, link).capped_at(10_000, link);
        assert!(!under.capped);
    }
}
