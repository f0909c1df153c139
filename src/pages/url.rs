//! Page addresses normalized per platform, so the same page written two ways is one page.
//! `key` is the identity (unique per platform across the installation); `url` is the
//! canonical address shown and linked.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Platform {
    Vk,
    Ok,
    Telegram,
    Max,
    Other,
}

impl Platform {
    pub const ALL: [Platform; 5] = [
        Platform::Vk,
        Platform::Ok,
        Platform::Telegram,
        Platform::Max,
        Platform::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Platform::Vk => "vk",
            Platform::Ok => "ok",
            Platform::Telegram => "telegram",
            Platform::Max => "max",
            Platform::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.code() == s.trim())
    }

    /// Catalog key of the platform's display name.
    pub fn label_key(self) -> &'static str {
        match self {
            Platform::Vk => "platform-vk",
            Platform::Ok => "platform-ok",
            Platform::Telegram => "platform-telegram",
            Platform::Max => "platform-max",
            Platform::Other => "platform-other",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageUrl {
    pub key: String,
    pub url: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlError {
    Empty,
    Invalid,
    /// The address belongs to another platform (or to none of the named ones).
    WrongPlatform(Option<Platform>),
    /// A feed, a search or the site's front page rather than a community.
    NotAPage,
    /// An invitation link to a private channel or chat: residents cannot open it.
    Private,
}

impl UrlError {
    pub fn message_key(self) -> &'static str {
        match self {
            UrlError::Empty => "page-url-empty",
            UrlError::Invalid => "page-url-invalid",
            UrlError::WrongPlatform(_) => "page-url-wrong-platform",
            UrlError::NotAPage => "page-url-not-a-page",
            UrlError::Private => "page-url-private",
        }
    }
}

fn host_platform(host: &str) -> Option<Platform> {
    match host {
        "vk.com" | "vk.ru" | "vkontakte.ru" => Some(Platform::Vk),
        "ok.ru" | "odnoklassniki.ru" => Some(Platform::Ok),
        "t.me" | "telegram.me" | "telegram.dog" => Some(Platform::Telegram),
        "max.ru" => Some(Platform::Max),
        _ => None,
    }
}

struct Parsed {
    host: String,
    segments: Vec<String>,
    scheme: String,
    path: String,
}

fn parse(input: &str) -> Result<Parsed, UrlError> {
    let with_scheme = if input.contains("://") {
        input.to_owned()
    } else {
        format!("https://{input}")
    };
    let url = url::Url::parse(&with_scheme).map_err(|_| UrlError::Invalid)?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(UrlError::Invalid);
    }
    let mut host = url.host_str().ok_or(UrlError::Invalid)?.to_lowercase();
    if !host.contains('.') {
        return Err(UrlError::Invalid);
    }
    for prefix in ["www.", "m.", "web.", "new."] {
        if let Some(rest) = host.strip_prefix(prefix)
            && host_platform(rest).is_some()
        {
            host = rest.to_owned();
        }
    }
    let segments = url
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default();
    Ok(Parsed {
        host,
        segments,
        scheme: url.scheme().to_owned(),
        path: url.path().to_owned(),
    })
}

pub fn detect(input: &str) -> Option<Platform> {
    let input = input.trim();
    if input.starts_with('@') || input.starts_with("tg://") {
        return Some(Platform::Telegram);
    }
    parse(input)
        .ok()
        .map(|p| host_platform(&p.host).unwrap_or(Platform::Other))
}

pub fn normalize(platform: Platform, input: &str) -> Result<PageUrl, UrlError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(UrlError::Empty);
    }
    if platform == Platform::Telegram {
        if let Some(name) = input.strip_prefix('@') {
            return telegram_name(name);
        }
        if let Some(rest) = input.strip_prefix("tg://resolve?domain=") {
            return telegram_name(rest.split('&').next().unwrap_or_default());
        }
    }
    let parsed = parse(input)?;
    let found = host_platform(&parsed.host);
    match (platform, found) {
        (Platform::Other, None) => Ok(other(&parsed)),
        (Platform::Other, Some(p)) => Err(UrlError::WrongPlatform(Some(p))),
        (expected, Some(p)) if p == expected => match p {
            Platform::Vk => vk(&parsed.segments),
            Platform::Ok => ok(&parsed.segments),
            Platform::Telegram => telegram(&parsed.segments),
            Platform::Max => max(&parsed.segments),
            Platform::Other => unreachable!("Other has no host"),
        },
        (_, found) => Err(UrlError::WrongPlatform(found.or(Some(Platform::Other)))),
    }
}

fn page(key: String) -> PageUrl {
    PageUrl {
        url: format!("https://{key}"),
        key,
    }
}

fn numeric_after<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.strip_prefix(prefix)
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn is_name(s: &str, extra: &[u8]) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || extra.contains(&b))
}

const VK_SERVICE_PATHS: [&str; 14] = [
    "feed", "im", "search", "groups", "friends", "video", "music", "audio", "photos", "settings",
    "login", "apps", "docs", "away.php",
];

fn vk(segments: &[String]) -> Result<PageUrl, UrlError> {
    let first = segments.first().ok_or(UrlError::NotAPage)?.to_lowercase();
    // club123, public123 and event123 are one community with the id 123.
    for prefix in ["club", "public", "event"] {
        if let Some(id) = numeric_after(&first, prefix) {
            return Ok(page(format!("vk.com/club{id}")));
        }
    }
    // A post link (wall-123_456) names its community.
    if let Some(rest) = first.strip_prefix("wall-") {
        let id = rest.split('_').next().unwrap_or_default();
        if numeric_after(id, "").is_some() {
            return Ok(page(format!("vk.com/club{id}")));
        }
    }
    if VK_SERVICE_PATHS.contains(&first.as_str())
        || first.ends_with(".php")
        || !is_name(&first, b".")
    {
        return Err(UrlError::NotAPage);
    }
    Ok(page(format!("vk.com/{first}")))
}

fn ok(segments: &[String]) -> Result<PageUrl, UrlError> {
    let first = segments.first().ok_or(UrlError::NotAPage)?.to_lowercase();
    let second = segments.get(1).map(|s| s.to_lowercase());
    match (first.as_str(), second.as_deref()) {
        ("group" | "profile", Some(id)) if numeric_after(id, "").is_some() => {
            Ok(page(format!("ok.ru/{first}/{id}")))
        }
        ("group" | "profile", _) => Err(UrlError::NotAPage),
        ("dk" | "feed" | "search" | "messages" | "groups" | "music" | "video", _) => {
            Err(UrlError::NotAPage)
        }
        _ => {
            if let Some(id) = numeric_after(&first, "group") {
                return Ok(page(format!("ok.ru/group/{id}")));
            }
            if !is_name(&first, b".-") {
                return Err(UrlError::NotAPage);
            }
            Ok(page(format!("ok.ru/{first}")))
        }
    }
}

fn telegram(segments: &[String]) -> Result<PageUrl, UrlError> {
    let first = segments.first().ok_or(UrlError::NotAPage)?;
    if first.starts_with('+') || first == "joinchat" {
        return Err(UrlError::Private);
    }
    // t.me/s/name is the web preview of the channel t.me/name.
    let name = if first == "s" {
        segments.get(1).ok_or(UrlError::NotAPage)?
    } else {
        first
    };
    telegram_name(name)
}

fn telegram_name(name: &str) -> Result<PageUrl, UrlError> {
    let name = name.trim().trim_end_matches('/').to_lowercase();
    let valid = (5..=32).contains(&name.len())
        && name.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && is_name(&name, b"");
    if !valid {
        return Err(UrlError::Invalid);
    }
    Ok(page(format!("t.me/{name}")))
}

fn max(segments: &[String]) -> Result<PageUrl, UrlError> {
    let first = segments.first().ok_or(UrlError::NotAPage)?.to_lowercase();
    if first == "join" {
        return Err(UrlError::Private);
    }
    if !is_name(&first, b".-") {
        return Err(UrlError::NotAPage);
    }
    Ok(page(format!("max.ru/{first}")))
}

fn other(parsed: &Parsed) -> PageUrl {
    let path = parsed.path.trim_end_matches('/');
    let key = format!("{}{path}", parsed.host);
    PageUrl {
        url: format!("{}://{key}", parsed.scheme),
        key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Platform::{Max, Other, Telegram, Vk};

    fn key(p: Platform, s: &str) -> Result<String, UrlError> {
        normalize(p, s).map(|u| u.key)
    }

    #[test]
    fn vk_shapes() {
        let cases = [
            ("vk.com/club123", "vk.com/club123"),
            ("vk.com/public123", "vk.com/club123"),
            ("https://vk.com/public123", "vk.com/club123"),
            ("http://vk.com/club123/", "vk.com/club123"),
            ("https://vk.com/event123", "vk.com/club123"),
            ("m.vk.com/name", "vk.com/name"),
            ("https://m.vk.com/Name", "vk.com/name"),
            ("https://vk.com/name?w=wall-1_2", "vk.com/name"),
            (
                "https://www.vk.com/school_12_barnaul",
                "vk.com/school_12_barnaul",
            ),
            ("vk.ru/minobr22", "vk.com/minobr22"),
            ("https://vk.ru/club456", "vk.com/club456"),
            ("https://vk.com/wall-456_789", "vk.com/club456"),
            ("  VK.COM/Admin.Barnaul  ", "vk.com/admin.barnaul"),
            ("https://vk.com/club123#comments", "vk.com/club123"),
            ("vkontakte.ru/club77", "vk.com/club77"),
            ("https://vk.com/name/", "vk.com/name"),
        ];
        for (input, expected) in cases {
            assert_eq!(key(Vk, input), Ok(expected.to_owned()), "{input}");
        }
        assert_eq!(
            normalize(Vk, "vk.com/public123").unwrap().url,
            "https://vk.com/club123"
        );
        for bad in [
            "https://vk.com/",
            "https://vk.com/feed",
            "vk.com/search?c=1",
            "https://vk.com/away.php?to=x",
        ] {
            assert_eq!(key(Vk, bad), Err(UrlError::NotAPage), "{bad}");
        }
        assert_eq!(
            key(Vk, "t.me/channel_name"),
            Err(UrlError::WrongPlatform(Some(Telegram)))
        );
        assert_eq!(
            key(Vk, "example.com/club1"),
            Err(UrlError::WrongPlatform(Some(Other)))
        );
        assert_eq!(key(Vk, ""), Err(UrlError::Empty));
    }

    #[test]
    fn ok_shapes() {
        let cases = [
            ("ok.ru/group/123", "ok.ru/group/123"),
            ("https://ok.ru/group/123", "ok.ru/group/123"),
            ("https://ok.ru/group/123/topics", "ok.ru/group/123"),
            ("ok.ru/group123", "ok.ru/group/123"),
            (
                "https://ok.ru/group70000001234567/",
                "ok.ru/group/70000001234567",
            ),
            ("ok.ru/name", "ok.ru/name"),
            ("https://ok.ru/Name", "ok.ru/name"),
            ("https://m.ok.ru/name", "ok.ru/name"),
            ("https://www.ok.ru/name?utm_source=x", "ok.ru/name"),
            ("http://ok.ru/school12", "ok.ru/school12"),
            ("odnoklassniki.ru/group/55", "ok.ru/group/55"),
            ("ok.ru/mfc.altai", "ok.ru/mfc.altai"),
            ("ok.ru/adm-barnaul", "ok.ru/adm-barnaul"),
            ("ok.ru/profile/5512", "ok.ru/profile/5512"),
            ("https://ok.ru/name/about", "ok.ru/name"),
            ("ok.ru/group/123#top", "ok.ru/group/123"),
        ];
        for (input, expected) in cases {
            assert_eq!(key(Platform::Ok, input), Ok(expected.to_owned()), "{input}");
        }
        for bad in ["ok.ru", "ok.ru/feed", "ok.ru/group/", "ok.ru/dk?st.cmd=x"] {
            assert_eq!(key(Platform::Ok, bad), Err(UrlError::NotAPage), "{bad}");
        }
        assert_eq!(
            key(Platform::Ok, "vk.com/club1"),
            Err(UrlError::WrongPlatform(Some(Vk)))
        );
    }

    #[test]
    fn telegram_shapes() {
        let cases = [
            ("t.me/name_channel", "t.me/name_channel"),
            ("https://t.me/name_channel", "t.me/name_channel"),
            ("https://t.me/s/name_channel", "t.me/name_channel"),
            ("@name_channel", "t.me/name_channel"),
            ("@Name_Channel", "t.me/name_channel"),
            ("http://t.me/minzdrav22", "t.me/minzdrav22"),
            ("https://t.me/minzdrav22/1534", "t.me/minzdrav22"),
            ("https://telegram.me/minzdrav22", "t.me/minzdrav22"),
            ("telegram.dog/minzdrav22", "t.me/minzdrav22"),
            ("https://www.t.me/minzdrav22", "t.me/minzdrav22"),
            ("t.me/minzdrav22?start=1", "t.me/minzdrav22"),
            ("tg://resolve?domain=minzdrav22", "t.me/minzdrav22"),
            ("  @barnaul_adm ", "t.me/barnaul_adm"),
            ("https://t.me/s/barnaul_adm/200", "t.me/barnaul_adm"),
            ("T.ME/BARNAUL_ADM/", "t.me/barnaul_adm"),
            ("https://t.me/barnaul_adm#x", "t.me/barnaul_adm"),
        ];
        for (input, expected) in cases {
            assert_eq!(key(Telegram, input), Ok(expected.to_owned()), "{input}");
        }
        assert_eq!(
            key(Telegram, "https://t.me/+AbCdEf123"),
            Err(UrlError::Private)
        );
        assert_eq!(
            key(Telegram, "https://t.me/joinchat/AbCdEf"),
            Err(UrlError::Private)
        );
        assert_eq!(key(Telegram, "@abc"), Err(UrlError::Invalid));
        assert_eq!(key(Telegram, "@1channel"), Err(UrlError::Invalid));
        assert_eq!(key(Telegram, "t.me"), Err(UrlError::NotAPage));
    }

    #[test]
    fn max_shapes() {
        let cases = [
            ("max.ru/minobr22", "max.ru/minobr22"),
            ("https://max.ru/minobr22", "max.ru/minobr22"),
            ("https://max.ru/MinObr22/", "max.ru/minobr22"),
            ("https://web.max.ru/minobr22", "max.ru/minobr22"),
            ("http://max.ru/id2225066621_gos", "max.ru/id2225066621_gos"),
            ("max.ru/id2225066621_gos?x=1", "max.ru/id2225066621_gos"),
            ("https://www.max.ru/adm.barnaul", "max.ru/adm.barnaul"),
            ("max.ru/adm-barnaul", "max.ru/adm-barnaul"),
            ("max.ru/school_12/posts", "max.ru/school_12"),
            ("max.ru/school_12#about", "max.ru/school_12"),
            ("MAX.RU/SCHOOL_12", "max.ru/school_12"),
            ("https://m.max.ru/school_12", "max.ru/school_12"),
            ("https://max.ru/gorbolnica1", "max.ru/gorbolnica1"),
            ("max.ru/u/../gorbolnica1", "max.ru/gorbolnica1"),
            ("https://max.ru/crb_kamen", "max.ru/crb_kamen"),
        ];
        for (input, expected) in cases {
            assert_eq!(key(Max, input), Ok(expected.to_owned()), "{input}");
        }
        assert_eq!(key(Max, "https://max.ru/join/abc"), Err(UrlError::Private));
        assert_eq!(key(Max, "https://max.ru/"), Err(UrlError::NotAPage));
    }

    #[test]
    fn other_sites_keep_their_path() {
        assert_eq!(
            key(Other, "https://Rutube.ru/channel/123/"),
            Ok("rutube.ru/channel/123".into())
        );
        assert_eq!(
            key(Other, "vk.com/club1"),
            Err(UrlError::WrongPlatform(Some(Vk)))
        );
        assert_eq!(key(Other, "not a url"), Err(UrlError::Invalid));
        assert_eq!(key(Other, "ftp://example.com/x"), Err(UrlError::Invalid));
    }

    #[test]
    fn platform_is_detected_from_the_address() {
        assert_eq!(detect("https://m.vk.com/x"), Some(Vk));
        assert_eq!(detect("@channel"), Some(Telegram));
        assert_eq!(detect("ok.ru/group/1"), Some(Platform::Ok));
        assert_eq!(detect("https://example.org"), Some(Other));
    }
}

#[cfg(test)]
mod property_tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn arbitrary_input_never_panics(input in "\\PC{0,200}") {
            for p in Platform::ALL {
                let _ = normalize(p, &input);
            }
            let _ = detect(&input);
        }

        #[test]
        fn normalizing_is_idempotent(name in "[a-z][a-z0-9_]{4,30}") {
            for (p, address) in [
                (Platform::Vk, format!("https://m.vk.com/{name}")),
                (Platform::Ok, format!("ok.ru/{name}")),
                (Platform::Telegram, format!("@{name}")),
                (Platform::Max, format!("max.ru/{name}")),
            ] {
                if let Ok(first) = normalize(p, &address) {
                    prop_assert_eq!(normalize(p, &first.url), Ok(first.clone()));
                }
            }
        }
    }
}
