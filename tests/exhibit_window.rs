//! Exhibit mode in a real window under a private Xvfb: the attract caption on screen, a click waking it with
//! touch-sized controls, the idle return, and the lock-down against the window manager's close and Alt+F4,
//! with Ctrl+Alt+Shift+Q as the way out; the fullscreen window covering bare X screens (no window manager) and
//! one under openbox, judged from the X screen itself; thirty waking clicks and keys that must change nothing.

mod common;
mod sequence;

use sequence::sequence;

use std::path::Path;
use std::time::Duration;

use common::*;

const STARTUP: Duration = Duration::from_secs(120);

fn settings(name: &str, idle_seconds: u32) -> String {
    settings_with(name, idle_seconds, "")
}

/// Settings with `more` lines at the top.
fn settings_with(name: &str, idle_seconds: u32, more: &str) -> String {
    let path = screenshot_dir().join(format!("{name}.toml"));
    std::fs::write(
        &path,
        format!(
            "# written by tests/exhibit_window.rs\n{more}fullscreen = false\nshow_cursor = true\n\
             idle_seconds = {idle_seconds}\nreset_seconds = 600\n"
        ),
    )
    .unwrap();
    path.display().to_string()
}

fn note_of(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path.with_extension("png.json")).unwrap())
        .unwrap()
}

fn light(c: [u8; 3]) -> bool {
    c.iter().all(|&v| v > 200)
}

fn prompt_yellow(c: [u8; 3]) -> bool {
    c[0] > 120 && c[1] > 100 && (c[2] as i32) < c[1] as i32 - 40
}

#[test]
fn the_attract_caption_shows_and_a_click_brings_back_touch_sized_controls() {
    let screen = Screen::start((1920, 1080), false);
    let config = settings("exhibit-1080", 60);

    // Switched on with nobody there: the attract loop with its caption.
    let attract = screenshot_dir().join("exhibit-attract.png");
    let _ = std::fs::remove_file(&attract);
    let mut run = screen.launch(&[
        "--exhibit",
        "--config",
        &config,
        "--size",
        "1920x1080",
        "--frames",
        "90",
        "--screenshot",
        attract.to_str().unwrap(),
    ]);
    assert_eq!(
        run.exit_code(STARTUP),
        Some(0),
        "log:\n{}",
        run.log.join("\n")
    );
    let note = note_of(&attract);
    let exhibit = &note["exhibit"];
    assert_eq!(exhibit["mode"], "attract");
    assert_eq!(exhibit["panel_shown"], false);
    assert!(exhibit["caption"].as_str().unwrap().contains("slope"));
    let picture = load_picture(&attract, &note);
    let caption = rect(&exhibit["caption_rect"]);
    let letters = pixels_where(&picture, caption, light);
    assert!(
        letters.len() > 400,
        "caption letters on screen: {} light pixels",
        letters.len()
    );
    let prompt = pixels_where(&picture, rect(&exhibit["prompt_rect"]), prompt_yellow);
    assert!(
        prompt.len() > 200,
        "the touch prompt glows: {} pixels",
        prompt.len()
    );

    // A click wakes it; the screenshot comes later, in interactive mode. Every control of the visitor panel
    // in both scenes, and of the whole panel's descent tab, chord lab and scene 2, is measured, also those
    // scrolled out of sight.
    let full = settings_with("exhibit-1080-full", 60, "panel = \"full\"\n");
    for (name, config, extra) in [
        ("exhibit-interactive", &config, &[][..]),
        (
            "exhibit-visitor-gradient",
            &config,
            &["--scene", "gradient"][..],
        ),
        ("exhibit-full", &full, &[][..]),
        ("exhibit-lab", &full, &["--lab"][..]),
        ("exhibit-gradient", &full, &["--scene", "regression"][..]),
    ] {
        let awake = screenshot_dir().join(format!("{name}.png"));
        let _ = std::fs::remove_file(&awake);
        let mut args = vec![
            "--exhibit",
            "--config",
            config,
            "--size",
            "1920x1080",
            "--frames",
            "260",
            "--screenshot",
            awake.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let mut run = screen.launch(&args);
        run.wait_for("exhibit: started", STARTUP);
        std::thread::sleep(Duration::from_millis(1500));
        let clicked = screen.tool("xdotool", &["mousemove", "700", "500", "click", "1"]);
        assert!(clicked.status.success());
        run.wait_for("mode interactive", Duration::from_secs(30));
        assert_eq!(
            run.exit_code(STARTUP),
            Some(0),
            "log:\n{}",
            run.log.join("\n")
        );
        let note = note_of(&awake);
        let exhibit = &note["exhibit"];
        assert_eq!(exhibit["mode"], "interactive");
        assert_eq!(exhibit["panel_shown"], true);
        assert!(
            exhibit["controls"].as_u64().unwrap() >= 8,
            "{name}: {exhibit}"
        );
        let control = exhibit["smallest_control_px"].as_f64().unwrap();
        let text = exhibit["smallest_text_px"].as_f64().unwrap();
        assert!(
            control >= 48.0,
            "{name}: every control at least 48 px at 1080p, the smallest is {control} at {}",
            exhibit["smallest_control_rect"]
        );
        assert!(
            text >= 24.0,
            "{name}: every letter at least 24 px at 1080p, the smallest is {text}"
        );
    }
    let awake = screenshot_dir().join("exhibit-interactive.png");
    let note = note_of(&awake);
    let picture = load_picture(&awake, &note);
    let panel = rect(&note["panel"]);
    let panel_text = pixels_where(&picture, panel, light);
    assert!(
        panel_text.len() > 500,
        "the panel is drawn: {} light pixels",
        panel_text.len()
    );
}

#[test]
fn the_exhibit_ignores_close_requests_and_alt_f4_and_quits_on_ctrl_alt_shift_q() {
    let screen = Screen::start((1280, 720), true);
    let config = settings("exhibit-lockdown", 2);
    let mut run = screen.launch(&["--exhibit", "--config", &config, "--size", "1280x720"]);
    run.wait_for("mode attract", STARTUP);
    // The window must be mapped before the window manager can be asked to close it.
    let window = screen.find_window();

    screen.tool("xdotool", &["mousemove", "640", "400", "click", "1"]);
    run.wait_for("mode interactive", Duration::from_secs(30));
    run.wait_for("mode attract", Duration::from_secs(30));

    let closed = screen.tool("wmctrl", &["-i", "-c", &window]);
    assert!(
        closed.status.success(),
        "wmctrl -c: {}",
        String::from_utf8_lossy(&closed.stderr)
    );
    run.wait_for(
        "ignored a request to close the window",
        Duration::from_secs(30),
    );
    std::thread::sleep(Duration::from_secs(1));
    assert!(
        run.alive(),
        "a window-manager close must not end the exhibit"
    );

    screen.tool("xdotool", &["windowactivate", "--sync", &window]);
    screen.tool("xdotool", &["key", "--clearmodifiers", "alt+F4"]);
    run.wait_for(
        "ignored a request to close the window",
        Duration::from_secs(30),
    );
    screen.tool("xdotool", &["key", "Escape"]);
    std::thread::sleep(Duration::from_secs(1));
    assert!(run.alive(), "Alt+F4 and Esc must not end the exhibit");

    // At a person's pace: the modifiers go down, then Q. (An instant chord from xdotool races openbox's
    // momentary keyboard grab, which makes the window drop the modifiers it had seen.)
    screen.tool("xdotool", &["windowactivate", "--sync", &window]);
    quit_with_ctrl_alt_shift_q(&screen, &mut run);
}

/// Settings for a fullscreen exhibit whose attract loop stays on one scene with a long caption.
fn fullscreen_settings(name: &str) -> String {
    let path = screenshot_dir().join(format!("{name}.toml"));
    std::fs::write(
        &path,
        // The whole panel, whose grey fill marks its extent plainly (the visitor panel is mostly buttons).
        "# written by tests/exhibit_window.rs\nfullscreen = true\nshow_cursor = true\npanel = \"full\"\n\
         idle_seconds = 60\nreset_seconds = 600\n\n[[scene]]\nshow = \"slope\"\nseconds = 600\n\
         caption = \"Every point of a curve has its own steepness. The orange line touches the curve at \
         the ball: its slope is the derivative there.\"\n",
    )
    .unwrap();
    path.display().to_string()
}

/// The box around the light (text) pixels of `picture` within `r` (screen pixels), if there are enough.
fn light_box(picture: &Picture, r: [f32; 4]) -> Option<([f32; 4], usize)> {
    let found = pixels_where(picture, r, light);
    if found.len() < 200 {
        return None;
    }
    let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    for (x, y) in &found {
        b = [b[0].min(*x), b[1].min(*y), b[2].max(*x), b[3].max(*y)];
    }
    Some((b, found.len()))
}

/// The exhibit as a kiosk runs it (`fullscreen = true`, nothing else on the command line, its own pacing) on
/// an X screen of `size`, with or without a window manager, judged by what the X screen shows: the window
/// covers the screen, the caption sits whole and centred at the top at the size the touch layout gives it
/// (the layout is 1280 x 720 points whatever the screen, so every part keeps its share of the screen), and
/// after a click the panel is drawn along the right edge. Ctrl+Alt+Shift+Q then ends it.
fn the_exhibit_fills_the_screen(size: (u32, u32), window_manager: bool) {
    let (w, h) = size;
    let (wf, hf) = (w as f32, h as f32);
    let name = format!(
        "exhibit-fill-{w}x{h}-{}",
        if window_manager { "openbox" } else { "bare" }
    );
    let screen = Screen::start(size, window_manager);
    let config = fullscreen_settings(&name);
    let mut run = screen.launch(&["--exhibit", "--config", &config]);
    run.wait_for("exhibit: started", STARTUP);
    let window = screen.find_window();
    let whole = Geometry {
        x: 0,
        y: 0,
        width: w,
        height: h,
    };
    let geometry = screen.wait_for_geometry(&window, whole, Duration::from_secs(30));
    assert_eq!(
        geometry,
        Some(whole),
        "{name}: the window must cover the {w}x{h} screen; log:\n{}",
        run.log.join("\n")
    );

    // The attract loop: the caption whole, centred, near the top, as wide as the layout makes it.
    std::thread::sleep(Duration::from_millis(2000));
    let attract = screen.grab(&screenshot_dir().join(format!("{name}-attract.png")));
    assert_eq!((attract.width, attract.height), size);
    let (caption, letters) = light_box(&attract, [0.0, 0.0, wf, 0.18 * hf])
        .unwrap_or_else(|| panic!("{name}: no caption letters at the top of the screen"));
    let centre = 0.5 * (caption[0] + caption[2]);
    assert!(
        (centre - 0.5 * wf).abs() < 0.04 * wf && caption[0] > 0.05 * wf && caption[2] < 0.95 * wf,
        "{name}: the caption's letters ({letters} pixels) span x {:.0}..{:.0}: not centred on the {w} pixel \
         wide screen, or cut off",
        caption[0],
        caption[2]
    );
    // 900 of the layout's 1280 points wide, 18 points from the top: the same share of any 16:9 screen.
    let span = (caption[2] - caption[0]) / wf;
    assert!(
        (0.6..0.75).contains(&span) && caption[1] > 0.03 * hf && caption[3] < 0.15 * hf,
        "{name}: the caption's letters take {span:.2} of the width and rows {:.0}..{:.0} of {h}: the layout \
         or the touch scale does not follow the real size",
        caption[1],
        caption[3]
    );

    // A click wakes it; the panel comes up along the right edge of the real screen.
    let clicked = screen.tool(
        "xdotool",
        &[
            "mousemove",
            &(w / 3).to_string(),
            &(h / 2).to_string(),
            "click",
            "1",
        ],
    );
    assert!(clicked.status.success());
    run.wait_for("mode interactive", Duration::from_secs(30));
    std::thread::sleep(Duration::from_millis(2000));
    let awake = screen.grab(&screenshot_dir().join(format!("{name}-awake.png")));
    let panel = panel_columns(&awake);
    let left = panel.iter().position(|&p| p);
    assert_eq!(
        panel_columns(&attract).iter().filter(|&&p| p).count(),
        0,
        "{name}: no panel in the attract loop"
    );
    let left = left.unwrap_or_else(|| panic!("{name}: no panel on the screen after the click"));
    let share = left as f32 / wf;
    let filled = panel[left..].iter().filter(|&&p| p).count() as f32 / (w as usize - left) as f32;
    let last = panel.iter().rposition(|&p| p).unwrap();
    assert!(
        (0.69..0.76).contains(&share) && filled > 0.9 && last as f32 >= 0.98 * wf,
        "{name}: the panel spans x {left}..{last} of {w} (its colour in {:.0}% of those columns): it must take \
         the right quarter of the screen, as the layout does at any size",
        100.0 * filled
    );
    let letters = pixels_where(&awake, [left as f32, 0.0, wf, hf], light).len();
    assert!(
        letters > 400,
        "{name}: the panel's text is drawn: {letters} light pixels"
    );

    // The way out still works on this screen.
    if window_manager {
        screen.tool("xdotool", &["windowactivate", "--sync", &window]);
    }
    quit_with_ctrl_alt_shift_q(&screen, &mut run);
}

#[test]
fn a_fullscreen_exhibit_covers_a_bare_x_screen_of_1280x720() {
    the_exhibit_fills_the_screen((1280, 720), false);
}

#[test]
fn a_fullscreen_exhibit_covers_a_bare_x_screen_of_1920x1080() {
    the_exhibit_fills_the_screen((1920, 1080), false);
}

#[test]
fn a_fullscreen_exhibit_covers_the_screen_under_a_window_manager() {
    the_exhibit_fills_the_screen((1920, 1080), true);
}

/// The panel's fill colour (the dark theme's), unlike the scene's darker background.
fn panel_grey(c: [u8; 3]) -> bool {
    let panel = downhill::theme::palette::DARK.panel;
    c.iter()
        .zip([panel.0, panel.1, panel.2])
        .all(|(&v, want)| v.abs_diff(want) <= 4)
}

/// For each column of the screen: is it mostly the panel's colour?
fn panel_columns(picture: &Picture) -> Vec<bool> {
    (0..picture.width)
        .map(|x| {
            let rows = (0..picture.height).step_by(2);
            let count = rows.len();
            let grey = rows
                .filter(|&y| panel_grey(picture.at(x as f32, y as f32)))
                .count();
            grey * 2 > count
        })
        .collect()
}

#[test]
fn thirty_waking_clicks_and_keys_in_a_real_window_change_nothing() {
    let (w, h) = (1280, 720);
    let screen = Screen::start((w, h), false);
    let path = screenshot_dir().join("exhibit-wakes.toml");
    std::fs::write(
        &path,
        "# written by tests/exhibit_window.rs\nfullscreen = true\nshow_cursor = true\nidle_seconds = 1\n\
         reset_seconds = 600\n\n[[scene]]\nshow = \"slope\"\nseconds = 2\ncaption = \"glide\"\n\n\
         [[scene]]\nshow = \"descent\"\nseconds = 2\nspeed = 20\ncaption = \"roll\"\n\n\
         [[scene]]\nshow = \"chord\"\nseconds = 2\ncaption = \"shrink\"\n",
    )
    .unwrap();
    let mut run = screen.launch(&["--exhibit", "--config", path.to_str().unwrap()]);
    run.wait_for("exhibit: filling monitor", STARTUP);
    screen.find_window();
    let mut seed = 9;
    let mut leaks = Vec::new();
    for wake in 0..30 {
        // At the program's own pace, at a different moment of the playlist each time.
        let pause = 100 + (1900.0 * sequence(&mut seed)) as u64;
        std::thread::sleep(Duration::from_millis(pause));
        let x = ((0.1 + 0.45 * sequence(&mut seed)) * w as f32).to_string();
        let y = ((0.3 + 0.4 * sequence(&mut seed)) * h as f32).to_string();
        let how = match wake % 3 {
            0 => {
                screen.tool("xdotool", &["mousemove", &x, &y, "click", "1"]);
                format!("a click at ({x}, {y})")
            }
            1 => {
                let held = 40 + (300.0 * sequence(&mut seed)) as u64;
                screen.tool("xdotool", &["mousemove", &x, &y, "mousedown", "1"]);
                std::thread::sleep(Duration::from_millis(held));
                screen.tool("xdotool", &["mouseup", "1"]);
                format!("a press of {held} ms at ({x}, {y})")
            }
            _ => {
                let key = ["space", "Right", "Left", "r", "s"][wake / 3 % 5];
                screen.tool("xdotool", &["key", key]);
                format!("the key {key}")
            }
        };
        run.wait_for("mode interactive", Duration::from_secs(30));
        let over = run.wait_for("the visit is over", Duration::from_secs(30));
        if !over.contains("; 0 actions") {
            leaks.push(format!("wake {wake} by {how} after {pause} ms: {over}"));
        }
        run.wait_for("mode attract", Duration::from_secs(30));
    }
    assert!(
        leaks.is_empty(),
        "{} of 30 waking presses reached the scene:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
}

#[test]
fn a_monitor_that_is_not_there_is_named_in_the_log_and_the_screen_is_filled_anyway() {
    let screen = Screen::start((1280, 720), false);
    let path = screenshot_dir().join("exhibit-monitor-5.toml");
    std::fs::write(
        &path,
        "# written by tests/exhibit_window.rs\nfullscreen = true\nmonitor = 5\n",
    )
    .unwrap();
    let mut run = screen.launch(&["--exhibit", "--config", path.to_str().unwrap()]);
    let warning = run.wait_for("monitor 5 was asked for", STARTUP);
    assert!(
        warning.contains("there are 1")
            && warning.contains("monitor in the exhibit settings to 0..0"),
        "{warning}"
    );
    let window = screen.find_window();
    let whole = Geometry {
        x: 0,
        y: 0,
        width: 1280,
        height: 720,
    };
    assert_eq!(
        screen.wait_for_geometry(&window, whole, Duration::from_secs(30)),
        Some(whole)
    );
    assert!(run.alive());
}

/// Ctrl+Alt+Shift+Q at a person's pace (the modifiers down, then Q), and the exhibit exits with code 0.
fn quit_with_ctrl_alt_shift_q(screen: &Screen, run: &mut Running) {
    screen.tool(
        "xdotool",
        &["keydown", "ctrl", "keydown", "alt", "keydown", "shift"],
    );
    std::thread::sleep(Duration::from_millis(400));
    screen.tool("xdotool", &["key", "q"]);
    std::thread::sleep(Duration::from_millis(200));
    screen.tool(
        "xdotool",
        &["keyup", "shift", "keyup", "alt", "keyup", "ctrl"],
    );
    assert_eq!(
        run.exit_code(Duration::from_secs(30)),
        Some(0),
        "log:\n{}",
        run.log.join("\n")
    );
}

/// xdotool, asserting it ran.
fn xdo(screen: &Screen, args: &[&str]) {
    let done = screen.tool("xdotool", args);
    assert!(done.status.success(), "xdotool {args:?}: {done:?}");
}

/// Presses at `from`, moves to each of `to` in small steps, lets go: a finger's drag.
fn drag(screen: &Screen, from: (i32, i32), to: (i32, i32)) {
    xdo(
        screen,
        &["mousemove", &from.0.to_string(), &from.1.to_string()],
    );
    std::thread::sleep(Duration::from_millis(150));
    xdo(screen, &["mousedown", "1"]);
    for i in 1..=8 {
        let x = from.0 + (to.0 - from.0) * i / 8;
        let y = from.1 + (to.1 - from.1) * i / 8;
        std::thread::sleep(Duration::from_millis(60));
        xdo(screen, &["mousemove", &x.to_string(), &y.to_string()]);
    }
    std::thread::sleep(Duration::from_millis(200));
    xdo(screen, &["mouseup", "1"]);
    std::thread::sleep(Duration::from_millis(300));
}

fn click(screen: &Screen, at: (i32, i32)) {
    xdo(
        screen,
        &[
            "mousemove",
            &at.0.to_string(),
            &at.1.to_string(),
            "click",
            "1",
        ],
    );
    std::thread::sleep(Duration::from_millis(400));
}

/// A visitor, as one would meet it on a bare X screen (no window manager) at 1280x720, where the exhibit's
/// layout is 1:1 in logical pixels: wake it, follow the guided start (drag the ball, then Play), move the
/// step size through its three zones, switch to Spanish, and walk away: the attract loop comes back (still in
/// Spanish for whoever is near), and the full reset brings back English. Three visits in a row.
#[test]
fn a_visitor_follows_the_guided_start_tries_each_step_size_switches_to_spanish_and_leaves() {
    let screen = Screen::start((1280, 720), false);
    let path = screenshot_dir().join("exhibit-visitor.toml");
    std::fs::write(
        &path,
        "# written by tests/exhibit_window.rs\nfullscreen = true\nshow_cursor = true\nidle_seconds = 4\n\
         reset_seconds = 9\n",
    )
    .unwrap();
    let mut run = screen.launch(&["--exhibit", "--config", path.to_str().unwrap()]);
    run.wait_for("exhibit: filling monitor", STARTUP);
    screen.find_window();
    // Where the visitor panel puts things at 1280x720 (the panel is the right 360 pixels): the language
    // buttons' row, Play, the step-size slider's rail; and the bowl's ball at its start, x = 1.5.
    let espanol = (1054, 88);
    let english = (966, 88);
    // The attract screen's own language buttons, in the bottom-right corner of the screen.
    let attract_espanol = (1222, 690);
    let play = (1000, 141);
    let rail_y = 281;
    let (rail_left, rail_right) = (935, 1236);
    let ball = (686, 490);
    for visit in 0..3 {
        std::thread::sleep(Duration::from_millis(1500));
        // The attract screen's Español changes the captions without waking it.
        click(&screen, attract_espanol);
        let said = run.wait_for("language: now es", Duration::from_secs(20));
        assert!(said.contains("Español"), "visit {visit}: {said}");
        std::thread::sleep(Duration::from_millis(1000));
        click(&screen, (400, 300));
        run.wait_for("mode interactive", Duration::from_secs(30));
        run.wait_for("the controls answer", Duration::from_secs(30));
        let woke = run
            .log
            .iter()
            .filter(|l| l.contains("mode interactive"))
            .count();
        assert_eq!(
            woke,
            visit + 1,
            "visit {visit}: the language button woke it"
        );
        // The panel's English, so the layout below is the English one.
        click(&screen, english);
        run.wait_for("language: now en", Duration::from_secs(20));
        // The guided start: drag the ball, then Play.
        drag(&screen, ball, (300, 420));
        let said = run.wait_for("guided start is now at", Duration::from_secs(20));
        assert!(said.contains("Play"), "visit {visit}: {said}");
        click(&screen, play);
        let said = run.wait_for("guided start is now at", Duration::from_secs(20));
        assert!(said.contains("Done"), "visit {visit}: {said}");
        // The step size, from the handle at 0.1 to each end and back to the middle.
        let handle = (1081, rail_y);
        drag(&screen, handle, (rail_left, rail_y));
        run.wait_for("in the zone Tiny", Duration::from_secs(20));
        // Dragged across, it passes just right on its way to too big.
        drag(&screen, (rail_left, rail_y), (rail_right, rail_y));
        run.wait_for("in the zone TooBig", Duration::from_secs(20));
        drag(&screen, (rail_right, rail_y), (1100, rail_y));
        run.wait_for("in the zone JustRight", Duration::from_secs(20));
        // Spanish, then nobody.
        click(&screen, espanol);
        run.wait_for("language: now es", Duration::from_secs(20));
        run.wait_for("mode attract", Duration::from_secs(30));
        let log = run.wait_for("language: now en", Duration::from_secs(30));
        assert!(log.contains("English"), "visit {visit}: {log}");
    }
    assert!(run.alive(), "log:\n{}", run.log.join("\n"));
    quit_with_ctrl_alt_shift_q(&screen, &mut run);
}
