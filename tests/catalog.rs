//! The translation catalog: every key the code and templates use exists in both languages,
//! and both languages define the same keys.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

fn catalog(lang: &str) -> BTreeSet<String> {
    let text = fs::read_to_string(format!(
        "{}/locales/{lang}/main.ftl",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    text.lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_owned()))
        .collect()
}

fn files(dir: &Path, out: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(fs::read_to_string(&path).unwrap());
        }
    }
}

/// Literal first arguments of t(…), t1(…) and tn(…) calls.
fn literal_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for call in ["t(\"", "t1(\"", "tn(\""] {
        for (i, _) in text.match_indices(call) {
            let before = text[..i].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let start = i + call.len();
            if let Some(end) = text[start..].find('"') {
                keys.push(text[start..start + end].to_owned());
            }
        }
    }
    keys
}

fn used_keys() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    files(&root.join("src"), &mut texts);
    files(&root.join("templates"), &mut texts);
    let mut keys: BTreeSet<String> = texts.iter().flat_map(|t| literal_keys(t)).collect();
    // Keys built at run time from coded values.
    for (_, key) in gospublic::orgs::LEVELS {
        keys.insert(key.to_owned());
    }
    for p in gospublic::pages::url::Platform::ALL {
        keys.insert(p.label_key().to_owned());
        keys.insert(format!("platform-{}", p.code()));
    }
    for action in gospublic::audit::ACTIONS {
        keys.insert(format!("audit-action-{action}"));
    }
    for object in gospublic::audit::OBJECT_TYPES {
        keys.insert(format!("audit-object-{object}"));
    }
    for u in gospublic::settings::PLATFORM_USES {
        keys.insert(format!("settings-platform-{u}"));
    }
    for d in 1..=7 {
        keys.insert(format!("weekday-{d}"));
    }
    for kind in ["organizations", "pages", "activity"] {
        keys.insert(format!("import-kind-{kind}"));
    }
    for status in ["previewed", "committed", "refused"] {
        keys.insert(format!("import-status-{status}"));
    }
    use gospublic::questions::{clock, db as questions, forms, workflow};
    for a in workflow::Action::ALL {
        keys.insert(format!("question-done-{}", a.code()));
    }
    keys.insert("question-done-draft".into());
    for s in workflow::Status::ALL {
        keys.insert(format!("status-{}", s.code()));
    }
    for p in clock::Priority::ALL {
        keys.insert(format!("priority-{}", p.code()));
    }
    for s in [
        clock::Standing::OnTime,
        clock::Standing::AtRisk,
        clock::Standing::Overdue,
        clock::Standing::Stopped,
    ] {
        keys.insert(format!("standing-{}", s.code()));
    }
    for c in ["comment", "message", "form", "api", "manual"] {
        keys.insert(format!("channel-{c}"));
    }
    for k in questions::EVENT_KINDS {
        keys.insert(format!("event-{k}"));
    }
    for r in forms::REJECT_REASONS {
        keys.insert(format!("reject-reason-{r}"));
    }
    for c in ["new", "keep"] {
        keys.insert(format!("clock-{c}"));
        keys.insert(format!("settings-transfer-clock-{c}"));
    }
    for k in ["interim", "final", "request"] {
        keys.insert(format!("answer-kind-{k}"));
    }
    for s in ["pending", "delivered", "failed"] {
        keys.insert(format!("delivery-status-{s}"));
    }
    for e in gospublic::channels::VK_EVENTS {
        keys.insert(format!("channel-event-{e}"));
    }
    for p in ["telegram", "max"] {
        keys.insert(format!("channel-connect-{p}"));
        keys.insert(format!("channel-connect-hint-{p}"));
    }
    for d in ["overdue", "at_risk", "today"] {
        keys.insert(format!("due-{d}"));
    }
    for a in ["me", "none"] {
        keys.insert(format!("assignee-{a}"));
    }
    for k in [
        "duration-hours-minutes",
        "event-transferred-detail",
        "calendar-row-date",
        "calendar-row-kind",
        "calendar-loaded",
    ] {
        keys.insert(k.to_owned());
    }
    for m in gospublic::marks::lifecycle::MarkStatus::ALL {
        keys.insert(format!("mark-{}", m.code()));
    }
    for c in gospublic::marks::lifecycle::CHECKLIST {
        keys.insert(format!("checklist-{c}"));
    }
    for c in gospublic::pages::card::forms::CATEGORIES {
        keys.insert(format!("page-category-{c}"));
    }
    for k in [
        "connected",
        "mark",
        "setup",
        "widgets",
        "activity",
        "reach",
        "post_reach",
    ] {
        keys.insert(format!("score-{k}"));
        keys.insert(format!("score-fix-{k}"));
        keys.insert(format!("score-missing-{k}"));
    }
    for l in ["green", "yellow", "red", "unknown"] {
        keys.insert(format!("light-{l}"));
    }
    for a in ["active", "quiet", "dormant", "unknown"] {
        keys.insert(format!("alive-{a}"));
    }
    for f in [
        "connected",
        "has_avatar",
        "has_cover",
        "has_description",
        "has_contacts",
        "comments_open",
        "widgets",
    ] {
        keys.insert(format!("setup-{f}"));
    }
    for f in [
        "week",
        "followers",
        "posts",
        "views",
        "likes",
        "comments",
        "reposts",
        "reach",
        "last_post_on",
    ] {
        keys.insert(format!("figure-field-{f}"));
    }
    for k in [
        "mark-step-bad",
        "chart-followers-desc",
        "chart-posts-desc",
        "trend-pages-desc",
        "trend-verified-desc",
        "trend-questions-desc",
        "trend-median-desc",
    ] {
        keys.insert(k.to_owned());
    }
    for f in gospublic::dashboard::coverage::Flag::ALL {
        keys.insert(format!("flag-{}", f.code()));
    }
    for f in gospublic::dashboard::red_flags::PageFlag::ALL {
        keys.insert(format!("page-flag-{}", f.code()));
    }
    for c in gospublic::dashboard::COLUMNS {
        keys.insert(format!("coverage-{c}"));
    }
    for k in ["municipality", "sector"] {
        keys.insert(format!("dashboard-by-{k}"));
        keys.insert(format!("dashboard-column-{k}"));
    }
    for role in ["admin", "coordinator", "editor", "head"] {
        keys.insert(format!("role-{role}"));
    }
    for kind in gospublic::municipalities::KINDS {
        keys.insert(format!("municipality-kind-{kind}"));
    }
    use gospublic::error::ErrorKind::*;
    for page in [
        NotFound,
        Forbidden,
        LoginRequired,
        BadRequest,
        Conflict,
        Internal,
        PayloadTooLarge,
        MethodNotAllowed,
        Timeout,
        Unavailable,
    ] {
        keys.insert(page.key().to_owned());
        keys.insert(format!("{}-title", page.key()));
    }
    use gospublic::pages::url::UrlError;
    for e in [
        UrlError::Empty,
        UrlError::Invalid,
        UrlError::WrongPlatform(None),
        UrlError::NotAPage,
        UrlError::Private,
    ] {
        keys.insert(e.message_key().to_owned());
    }
    keys
}

#[test]
fn both_languages_define_the_same_keys() {
    let ru = catalog("ru");
    let en = catalog("en");
    let only_ru: Vec<_> = ru.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&ru).collect();
    assert!(
        only_ru.is_empty() && only_en.is_empty(),
        "only in ru: {only_ru:?}; only in en: {only_en:?}"
    );
}

#[test]
fn every_key_in_use_exists_in_both_languages() {
    let used = used_keys();
    assert!(
        used.len() > 100,
        "the scan found too few keys: {}",
        used.len()
    );
    for lang in ["ru", "en"] {
        let defined = catalog(lang);
        let missing: Vec<_> = used.difference(&defined).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
    }
}

#[test]
fn messages_render_without_isolation_marks() {
    use gospublic::i18n::Locale;
    let text = Locale::Ru.t1("ogrn-taken", "org", "Школа");
    assert_eq!(text, "Организация с этим ОГРН уже есть: Школа.");
    assert!(!text.contains('\u{2068}'));
}
