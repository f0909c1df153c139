//! The quality score of an official page, computed in one place. Weights come from the
//! region's rules (defaults from a real regional monitoring method: connected 10, mark 10,
//! setup 20 [avatar 5, description 5, cover 10], widgets 10, activity 30, weekly reach per
//! follower 10, average post reach per follower 5). Every component says what it earned out
//! of what, so a coordinator can see why a page is red; a component without data is
//! "unknown", never zero, and then so is the total.

/// Region weights, in points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weights {
    pub connected: u32,
    pub mark: u32,
    pub setup: u32,
    pub widgets: u32,
    pub activity: u32,
    pub reach: u32,
    pub post_reach: u32,
    pub green_from: u32,
    pub red_below: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            connected: 10,
            mark: 10,
            setup: 20,
            widgets: 10,
            activity: 30,
            reach: 10,
            post_reach: 5,
            green_from: 80,
            red_below: 50,
        }
    }
}

/// What is known about a page; `None` means not recorded yet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageFacts {
    pub connected: Option<bool>,
    pub mark_granted: Option<bool>,
    pub avatar: Option<bool>,
    pub description: Option<bool>,
    pub cover: Option<bool>,
    /// Gosuslugi widgets on the page: 0, 1 or 2.
    pub widgets: Option<u8>,
    pub posts_last_7_days: Option<u32>,
    /// Posts a week the page's category asks for (flagship, active, business card).
    pub weekly_quota: u32,
    pub followers: Option<u64>,
    pub weekly_reach: Option<u64>,
    pub average_post_reach: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Light {
    Green,
    Yellow,
    Red,
    Unknown,
}

impl Light {
    pub fn code(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Yellow => "yellow",
            Light::Red => "red",
            Light::Unknown => "unknown",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Component {
    /// Catalog key suffix: `score-<key>`.
    pub key: &'static str,
    /// Points earned; None when the data is missing.
    pub earned: Option<f64>,
    pub max: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    pub components: Vec<Component>,
    /// Share of the maximum, 0–100, when every component is known.
    pub percent: Option<u32>,
    pub light: Light,
}

fn share(value: Option<bool>, max: f64) -> Option<f64> {
    value.map(|v| if v { max } else { 0.0 })
}

/// `part / followers`, when both are known and there are followers to divide by.
fn ratio(part: Option<u64>, followers: Option<u64>) -> Option<f64> {
    match (part, followers) {
        (Some(p), Some(f)) if f > 0 => Some(p as f64 / f as f64),
        _ => None,
    }
}

pub fn score(facts: &PageFacts, w: &Weights) -> Score {
    let setup_max = w.setup as f64;
    // Inside "setup" the method gives avatar 5, description 5, cover 10 out of 20.
    let setup = match (facts.avatar, facts.description, facts.cover) {
        (Some(a), Some(d), Some(c)) => Some(
            setup_max
                * ((a as u8 as f64) * 0.25 + (d as u8 as f64) * 0.25 + (c as u8 as f64) * 0.5),
        ),
        _ => None,
    };
    let widgets = facts.widgets.map(|n| match n {
        0 => 0.0,
        1 => w.widgets as f64 / 2.0,
        _ => w.widgets as f64,
    });
    let activity = facts.posts_last_7_days.map(|posts| {
        if posts >= facts.weekly_quota {
            w.activity as f64
        } else {
            0.0
        }
    });
    let reach = ratio(facts.weekly_reach, facts.followers).map(|r| {
        let factor = if r >= 0.7 {
            1.0
        } else if r >= 0.5 {
            0.7
        } else if r >= 0.3 {
            0.5
        } else {
            0.0
        };
        w.reach as f64 * factor
    });
    let post_reach = ratio(facts.average_post_reach, facts.followers)
        .map(|r| if r > 0.7 { w.post_reach as f64 } else { 0.0 });
    let components = vec![
        Component {
            key: "connected",
            earned: share(facts.connected, w.connected as f64),
            max: w.connected as f64,
        },
        Component {
            key: "mark",
            earned: share(facts.mark_granted, w.mark as f64),
            max: w.mark as f64,
        },
        Component {
            key: "setup",
            earned: setup,
            max: setup_max,
        },
        Component {
            key: "widgets",
            earned: widgets,
            max: w.widgets as f64,
        },
        Component {
            key: "activity",
            earned: activity,
            max: w.activity as f64,
        },
        Component {
            key: "reach",
            earned: reach,
            max: w.reach as f64,
        },
        Component {
            key: "post_reach",
            earned: post_reach,
            max: w.post_reach as f64,
        },
    ];
    let max: f64 = components.iter().map(|c| c.max).sum();
    let earned: Option<f64> = components.iter().map(|c| c.earned).sum();
    let percent = match earned {
        Some(e) if max > 0.0 => Some((e / max * 100.0).round() as u32),
        _ => None,
    };
    let light = match percent {
        None => Light::Unknown,
        Some(p) if p >= w.green_from => Light::Green,
        Some(p) if p < w.red_below => Light::Red,
        Some(_) => Light::Yellow,
    };
    Score {
        components,
        percent,
        light,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> PageFacts {
        PageFacts {
            connected: Some(true),
            mark_granted: Some(true),
            avatar: Some(true),
            description: Some(true),
            cover: Some(true),
            widgets: Some(2),
            posts_last_7_days: Some(5),
            weekly_quota: 3,
            followers: Some(1000),
            weekly_reach: Some(800),
            average_post_reach: Some(750),
        }
    }

    #[test]
    fn score_table() {
        let w = Weights::default();
        let cases: Vec<(&str, PageFacts, Option<u32>, Light)> = vec![
            ("everything done", full(), Some(100), Light::Green),
            (
                "no mark, one widget",
                PageFacts {
                    mark_granted: Some(false),
                    widgets: Some(1),
                    ..full()
                },
                Some(84),
                Light::Green,
            ),
            (
                "quota missed",
                PageFacts {
                    posts_last_7_days: Some(2),
                    ..full()
                },
                Some(68),
                Light::Yellow,
            ),
            (
                "reach 55%",
                PageFacts {
                    weekly_reach: Some(550),
                    ..full()
                },
                Some(97),
                Light::Green,
            ),
            (
                "reach 35%, post reach 70%",
                PageFacts {
                    weekly_reach: Some(350),
                    average_post_reach: Some(700),
                    ..full()
                },
                Some(89),
                Light::Green,
            ),
            (
                "bare page",
                PageFacts {
                    connected: Some(false),
                    mark_granted: Some(false),
                    avatar: Some(true),
                    description: Some(false),
                    cover: Some(false),
                    widgets: Some(0),
                    posts_last_7_days: Some(0),
                    weekly_reach: Some(10),
                    average_post_reach: Some(5),
                    ..full()
                },
                Some(5),
                Light::Red,
            ),
            (
                "no figures yet",
                PageFacts {
                    posts_last_7_days: None,
                    weekly_reach: None,
                    average_post_reach: None,
                    followers: None,
                    ..full()
                },
                None,
                Light::Unknown,
            ),
            (
                "no followers to divide by",
                PageFacts {
                    followers: Some(0),
                    ..full()
                },
                None,
                Light::Unknown,
            ),
        ];
        for (name, facts, percent, light) in cases {
            let s = score(&facts, &w);
            assert_eq!((s.percent, s.light), (percent, light), "{name}: {s:?}");
        }
    }

    #[test]
    fn the_breakdown_says_why() {
        let s = score(
            &PageFacts {
                posts_last_7_days: Some(1),
                cover: Some(false),
                ..full()
            },
            &Weights::default(),
        );
        let get = |key: &str| s.components.iter().find(|c| c.key == key).unwrap();
        assert_eq!(get("activity").earned, Some(0.0));
        assert_eq!(get("activity").max, 30.0);
        assert_eq!(get("setup").earned, Some(10.0));
        // 55 of the 95 points the default method can give.
        assert_eq!(s.percent, Some(58));
        assert_eq!(s.light, Light::Yellow);
    }

    #[test]
    fn region_weights_and_thresholds_apply() {
        let w = Weights {
            activity: 0,
            green_from: 90,
            red_below: 70,
            ..Weights::default()
        };
        let s = score(
            &PageFacts {
                posts_last_7_days: Some(0),
                mark_granted: Some(false),
                ..full()
            },
            &w,
        );
        // 55 of 65 points: activity no longer counts.
        assert_eq!(s.percent, Some(85));
        assert_eq!(s.light, Light::Yellow);
    }
}
