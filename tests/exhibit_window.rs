//! Exhibit mode in a real window under a private Xvfb: the attract caption on screen, a click waking it with
//! touch-sized controls, the idle return, and the lock-down against the window manager's close and Alt+F4,
//! with Ctrl+Alt+Shift+Q as the way out.

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;

const STARTUP: Duration = Duration::from_secs(120);

fn settings(name: &str, idle_seconds: u32) -> String {
    let path = screenshot_dir().join(format!("{name}.toml"));
    std::fs::write(
        &path,
        format!(
            "# written by tests/exhibit_window.rs\nfullscreen = false\nshow_cursor = true\n\
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
    assert!(exhibit["caption"].as_str().unwrap().contains("derivative"));
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

    // A click wakes it; the screenshot comes later, in interactive mode. Every control of the descent tab,
    // the chord lab and scene 2 is measured, also those scrolled out of sight.
    for (name, extra) in [
        ("exhibit-interactive", &[][..]),
        ("exhibit-lab", &["--lab"][..]),
        ("exhibit-gradient", &["--scene", "regression"][..]),
    ] {
        let awake = screenshot_dir().join(format!("{name}.png"));
        let _ = std::fs::remove_file(&awake);
        let mut args = vec![
            "--exhibit",
            "--config",
            &config,
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
