//! Both themes in a real window: the text on screen, read back from the screenshot's pixels, meets the
//! contrast the theme promises; the light theme really is light; T and the panel's button switch it.

mod common;

use std::time::Duration;

use common::{Picture, screenshot_sized};
use downhill::math::colour::{Srgb8, contrast_ratio};

/// What one painted text measured on screen.
struct Measured {
    text: String,
    ratio: f64,
    size: f32,
}

/// Reads every text of the note back out of the picture: its background is the commonest colour in its
/// box, its ink the pixel of the box that stands out most from that; the contrast is theirs.
fn measure_texts(picture: &Picture, note: &serde_json::Value) -> Vec<Measured> {
    let texts = note["texts"].as_array().expect("the note lists the texts");
    let boxes = note["text_boxes"]
        .as_array()
        .expect("the note lists their boxes");
    assert_eq!(texts.len(), boxes.len());
    let mut measured = Vec::new();
    for (text, b) in texts.iter().zip(boxes) {
        let text = text.as_str().unwrap_or("").to_owned();
        // An empty galley's box is not finite (null in the note): nothing to read.
        let Some(rect) = b["rect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().map(|v| v as f32))
            .collect::<Option<Vec<f32>>>()
        else {
            continue;
        };
        let size = b["size"].as_f64().unwrap_or(0.0) as f32;
        let (x0, y0, x1, y1) = (
            (rect[0] * picture.scale).floor().max(0.0) as u32,
            (rect[1] * picture.scale).floor().max(0.0) as u32,
            ((rect[2] * picture.scale).ceil() as u32).min(picture.width),
            ((rect[3] * picture.scale).ceil() as u32).min(picture.height),
        );
        // Only whole words, on screen, big enough to hold a glyph's core.
        if text.trim().chars().count() < 2 || x1 <= x0 + 6 || y1 <= y0 + 6 {
            continue;
        }
        let mut counts = std::collections::HashMap::new();
        let mut pixels = Vec::new();
        for y in y0..y1 {
            for x in x0..x1 {
                let i = ((y * picture.width + x) * 3) as usize;
                let p = [picture.rgb[i], picture.rgb[i + 1], picture.rgb[i + 2]];
                *counts.entry(p).or_insert(0usize) += 1;
                pixels.push(p);
            }
        }
        let (background, _) = counts.into_iter().max_by_key(|(_, n)| *n).unwrap();
        let bg = Srgb8(background[0], background[1], background[2]);
        let ratio = pixels
            .iter()
            .map(|p| contrast_ratio(Srgb8(p[0], p[1], p[2]), bg))
            .fold(1.0, f64::max);
        measured.push(Measured { text, ratio, size });
    }
    measured
}

fn check_theme(name: &str, args: &[&str], size: (u32, u32)) -> (Picture, serde_json::Value) {
    let (picture, note) = screenshot_sized(name, args, size);
    let measured = measure_texts(&picture, &note);
    assert!(
        measured.len() > 25,
        "{name}: only {} texts measured",
        measured.len()
    );
    let short: Vec<String> = measured
        .iter()
        .filter(|m| m.ratio < 4.5)
        .map(|m| format!("{:?} ({} pt): {:.2}:1", m.text, m.size, m.ratio))
        .collect();
    let worst = measured
        .iter()
        .map(|m| m.ratio)
        .fold(f64::INFINITY, f64::min);
    eprintln!(
        "{name}: {} texts, the lowest at {worst:.2}:1",
        measured.len()
    );
    assert!(
        short.is_empty(),
        "{name}: text on screen below 4.5:1 ({} of {}):\n{}",
        short.len(),
        measured.len(),
        short.join("\n")
    );
    (picture, note)
}

fn brightness(p: [u8; 3]) -> u32 {
    u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2])
}

#[test]
fn the_dark_theme_reads_on_screen_at_aa_contrast() {
    for (name, args) in [
        ("theme-dark-descent", vec!["--theme", "dark", "--wait", "2"]),
        (
            "theme-dark-lab",
            vec!["--theme", "dark", "--lab", "--wait", "2"],
        ),
        (
            "theme-dark-gradient",
            vec!["--theme", "dark", "--scene", "gradient", "--wait", "2"],
        ),
    ] {
        let (picture, note) = check_theme(name, &args, (1280, 720));
        assert_eq!(note["theme"], "dark");
        // The plot's background, away from everything, is the dark one.
        assert!(
            brightness(picture.at(400.0, 690.0)) < 150,
            "{name}: not dark"
        );
    }
}

#[test]
fn the_light_theme_reads_on_screen_at_aa_contrast() {
    for (name, args) in [
        (
            "theme-light-descent",
            vec!["--theme", "light", "--wait", "2"],
        ),
        (
            "theme-light-lab",
            vec!["--theme", "light", "--lab", "--wait", "2"],
        ),
        (
            "theme-light-gradient",
            vec!["--theme", "light", "--scene", "gradient", "--wait", "2"],
        ),
    ] {
        let (picture, note) = check_theme(name, &args, (1280, 720));
        assert_eq!(note["theme"], "light");
        assert!(
            brightness(picture.at(400.0, 690.0)) > 600,
            "{name}: not light"
        );
        // The panel is light too, not egui's dark panel under light text.
        assert!(
            brightness(picture.at(1200.0, 700.0)) > 600,
            "{name}: the panel is not light"
        );
    }
}

#[test]
fn a_larger_window_draws_larger_text() {
    // The same panel at 1920x1080 is drawn at 1.5 times the size of 1280x720's, and --ui-scale multiplies.
    let (small, small_note) = screenshot_sized("scale-1280", &["--wait", "1"], (1280, 720));
    let (large, large_note) = screenshot_sized("scale-1920", &["--wait", "1"], (1920, 1080));
    let (doubled, doubled_note) = screenshot_sized(
        "scale-1280-200",
        &["--wait", "1", "--ui-scale", "2"],
        (1280, 720),
    );
    assert!(
        (small.scale - 1.0).abs() < 1e-3,
        "1280x720 at {}",
        small.scale
    );
    assert!(
        (large.scale - 1.5).abs() < 1e-3,
        "1920x1080 at {}",
        large.scale
    );
    assert!(
        (doubled.scale - 2.0).abs() < 1e-3,
        "--ui-scale 2 at {}",
        doubled.scale
    );
    let title_height = |note: &serde_json::Value, picture: &Picture| {
        let texts = note["texts"].as_array().unwrap();
        let at = texts
            .iter()
            .position(|t| t.as_str().is_some_and(|t| t.ends_with(" Curve")))
            .expect("the curve section's title is painted");
        let r = &note["text_boxes"][at]["rect"];
        (r[3].as_f64().unwrap() - r[1].as_f64().unwrap()) as f32 * picture.scale
    };
    let h = title_height(&small_note, &small);
    let h_large = title_height(&large_note, &large);
    let h_doubled = title_height(&doubled_note, &doubled);
    assert!(
        (h_large / h - 1.5).abs() < 0.1,
        "{h} px, then {h_large} px at 1080 lines"
    );
    assert!(
        (h_doubled / h - 2.0).abs() < 0.12,
        "{h} px, then {h_doubled} px at 200%"
    );
}

/// The screen column where the panel starts, in physical pixels: the first of the right-hand columns that
/// are mostly the panel's colour.
fn panel_starts_at(picture: &Picture) -> u32 {
    let panel = downhill::theme::palette::DARK.panel;
    let is_panel = |p: [u8; 3]| {
        p.iter()
            .zip([panel.0, panel.1, panel.2])
            .all(|(&v, want)| v.abs_diff(want) <= 4)
    };
    let column = |x: u32| {
        let rows = (0..picture.height).step_by(3);
        let all = rows.len();
        let hits = rows
            .filter(|&y| {
                let i = ((y * picture.width + x) * 3) as usize;
                is_panel([picture.rgb[i], picture.rgb[i + 1], picture.rgb[i + 2]])
            })
            .count();
        hits * 2 > all
    };
    let mut x = picture.width - 1;
    while x > 0 && column(x - 1) {
        x -= 1;
    }
    x
}

#[test]
fn ctrl_plus_and_minus_size_the_panel_and_the_plot_together_in_a_running_window() {
    // Pressed while it runs, on a bare X screen as a kiosk has it, three times over: each press of
    // Ctrl+= makes the whole window 10% larger, plot and panel alike (egui's own zoom on those keys, which
    // sized only the panel, is off).
    for round in 0..3 {
        let screen = common::Screen::start((1280, 720), false);
        let path = common::screenshot_dir().join(format!("ctrl-plus-{round}.png"));
        let _ = std::fs::remove_file(&path);
        let mut running = screen.launch(&[
            "--size",
            "1280x720",
            "--wait",
            "6",
            "--screenshot",
            path.to_str().unwrap(),
        ]);
        let window = screen.find_window();
        running.wait_for("Creating new window", Duration::from_secs(60));
        std::thread::sleep(Duration::from_secs(2));
        screen.tool("xdotool", &["windowfocus", &window]);
        // Down to 90% and back up past 100% to 110%.
        for key in ["minus", "equal", "equal"] {
            screen.tool("xdotool", &["keydown", "ctrl"]);
            screen.tool("xdotool", &["key", key]);
            screen.tool("xdotool", &["keyup", "ctrl"]);
            std::thread::sleep(Duration::from_millis(300));
        }
        running.wait_for("interface is at 90%", Duration::from_secs(30));
        running.wait_for("interface is at 110%", Duration::from_secs(30));
        assert_eq!(running.exit_code(Duration::from_secs(60)), Some(0));
        let note: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(path.with_extension("png.json")).unwrap(),
        )
        .unwrap();
        let picture = common::load_picture(&path, &note);
        assert!(
            (picture.scale - 1.1).abs() < 1e-3,
            "drawn at {}",
            picture.scale
        );
        // The panel is 360 points wide: 396 pixels at 110%. (egui's own zoom on top made it 436.)
        let edge = panel_starts_at(&picture);
        let want = 1280.0 - 360.0 * 1.1;
        assert!(
            (edge as f32 - want).abs() <= 6.0,
            "round {round}: the panel starts at x = {edge}, not {want}"
        );
        // And the plot follows: the curve's samples (logical, in the note) land on blue pixels.
        let points = common::curve_points(&note);
        let blue = points
            .iter()
            .filter(|&&(x, y)| {
                picture.near(x, y, 2.0, |c| {
                    c[2] > 170 && (c[0] as i32) < c[2] as i32 - 80
                })
            })
            .count();
        assert!(
            blue * 10 >= points.len() * 8,
            "round {round}: only {blue} of {} curve points are on the drawn curve",
            points.len()
        );
    }
}
