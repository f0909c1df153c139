//! Small server-rendered SVG charts: readable without JavaScript, with a title and a text
//! description for screen readers, and presentation attributes only (the CSP allows no
//! inline styles).

use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Line,
    Bars,
}

// A box about as wide as a phone, so the 12-unit labels are at least 12 px wherever the chart
// is drawn at its full width (the dashboard never draws it narrower).
const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 140.0;
const PAD_LEFT: f64 = 44.0;
const PAD: f64 = 10.0;
const FONT: f64 = 12.0;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A chart of one series; `points` are (label, value) in time order, a missing value leaves
/// a gap. `id` must be unique on the page (it links the title and description).
pub fn svg(
    id: &str,
    title: &str,
    description: &str,
    points: &[(String, Option<f64>)],
    kind: Kind,
) -> String {
    let id = escape(id);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape(title),
        escape(description)
    );
    let values: Vec<f64> = points.iter().filter_map(|(_, v)| *v).collect();
    let max = values.iter().cloned().fold(0.0_f64, f64::max);
    let top = if max <= 0.0 { 1.0 } else { max };
    let plot_w = WIDTH - PAD_LEFT - PAD;
    let plot_h = HEIGHT - 2.0 * PAD - FONT - 4.0;
    let n = points.len().max(1) as f64;
    let x = |i: usize| PAD_LEFT + plot_w * (i as f64 + 0.5) / n;
    let y = |v: f64| PAD + plot_h * (1.0 - v / top);
    // Axis and the top value, so the scale reads without hovering.
    let _ = write!(
        out,
        r##"<line x1="{PAD_LEFT}" y1="{PAD}" x2="{PAD_LEFT}" y2="{b}" stroke="#8a93a3"/><line x1="{PAD_LEFT}" y1="{b}" x2="{r}" y2="{b}" stroke="#8a93a3"/><text x="{tx}" y="{ty}" text-anchor="end" font-size="{FONT}" fill="#1b1f24">{top}</text><text x="{tx}" y="{b}" text-anchor="end" font-size="{FONT}" fill="#1b1f24">0</text>"##,
        b = PAD + plot_h,
        r = WIDTH - PAD,
        tx = PAD_LEFT - 4.0,
        ty = PAD + FONT - 2.0,
        top = format_number(max),
    );
    match kind {
        Kind::Bars => {
            let bar = (plot_w / n * 0.7).max(1.0);
            for (i, (label, v)) in points.iter().enumerate() {
                if let Some(v) = v {
                    let _ = write!(
                        out,
                        r##"<rect x="{:.1}" y="{:.1}" width="{bar:.1}" height="{:.1}" fill="#0b57a4"><title>{}: {}</title></rect>"##,
                        x(i) - bar / 2.0,
                        y(*v),
                        PAD + plot_h - y(*v),
                        escape(label),
                        format_number(*v)
                    );
                }
            }
        }
        Kind::Line => {
            // One polyline per unbroken run of values.
            let mut run = String::new();
            for (i, (_, v)) in points.iter().enumerate() {
                match v {
                    Some(v) => {
                        let _ = write!(run, "{:.1},{:.1} ", x(i), y(*v));
                    }
                    None if !run.is_empty() => {
                        let _ = write!(
                            out,
                            r##"<polyline points="{}" fill="none" stroke="#0b57a4" stroke-width="2"/>"##,
                            run.trim_end()
                        );
                        run.clear();
                    }
                    None => {}
                }
            }
            if !run.is_empty() {
                let _ = write!(
                    out,
                    r##"<polyline points="{}" fill="none" stroke="#0b57a4" stroke-width="2"/>"##,
                    run.trim_end()
                );
            }
            // Each point says its week and value when pointed at.
            for (i, (label, v)) in points.iter().enumerate() {
                if let Some(v) = v {
                    let _ = write!(
                        out,
                        r##"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="#0b57a4"><title>{}: {}</title></circle>"##,
                        x(i),
                        y(*v),
                        escape(label),
                        format_number(*v)
                    );
                }
            }
        }
    }
    // First and last labels under the axis.
    if let (Some((first, _)), Some((last, _))) = (points.first(), points.last()) {
        let _ = write!(
            out,
            r##"<text x="{PAD_LEFT}" y="{h}" font-size="{FONT}" fill="#1b1f24">{}</text><text x="{r}" y="{h}" text-anchor="end" font-size="{FONT}" fill="#1b1f24">{}</text>"##,
            escape(first),
            escape(last),
            h = HEIGHT - 4.0,
            r = WIDTH - PAD,
        );
    }
    out.push_str("</svg>");
    out
}

pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(values: &[Option<f64>]) -> Vec<(String, Option<f64>)> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("w{i}"), *v))
            .collect()
    }

    #[test]
    fn a_line_with_a_gap_is_two_polylines() {
        let s = svg(
            "f",
            "Подписчики",
            "С 100 до 300",
            &pts(&[Some(100.0), Some(200.0), None, Some(300.0)]),
            Kind::Line,
        );
        assert_eq!(s.matches("<polyline").count(), 2);
        assert!(s.contains(r#"<title id="f-t">Подписчики</title>"#));
        assert!(s.contains(r#"aria-labelledby="f-t f-d""#));
        assert!(s.contains(">300<") && s.contains(">w0<") && s.contains(">w3<"));
        assert!(!s.contains("style="), "no inline styles under the CSP");
    }

    #[test]
    fn bars_and_escaping() {
        let s = svg(
            "p",
            "Posts <&>",
            "\"quoted\"",
            &pts(&[Some(0.0), Some(4.0), None]),
            Kind::Bars,
        );
        assert_eq!(s.matches("<rect").count(), 2);
        assert!(s.contains("Posts &lt;&amp;&gt;") && s.contains("&quot;quoted&quot;"));
        let empty = svg("e", "t", "d", &[], Kind::Line);
        assert!(empty.ends_with("</svg>") && !empty.contains("polyline"));
    }

    #[test]
    fn labels_read_at_a_glance_and_every_point_says_its_value() {
        let s = svg(
            "q",
            "t",
            "d",
            &pts(&[Some(3.0), Some(5.5), None]),
            Kind::Line,
        );
        assert!(!s.contains("font-size=\"11\""));
        assert_eq!(s.matches("font-size=\"12\"").count(), 4, "{s}");
        assert!(s.contains("<title>w0: 3</title>") && s.contains("<title>w1: 5.5</title>"));
        let bars = svg("b", "t", "d", &pts(&[Some(2.0)]), Kind::Bars);
        assert!(bars.contains("<title>w0: 2</title></rect>"));
    }
}
