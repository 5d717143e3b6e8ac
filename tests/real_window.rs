//! A real window, rendered by the GPU driver (Mesa's lavapipe under Xvfb when there is no display),
//! screenshotted with Bevy's own Screenshot API, and checked pixel by pixel. Every window here keeps its own
//! pacing (`--wait`: the screenshot comes after some seconds, nothing forces a redraw), as a person sees it.

mod common;

use common::*;

fn close(a: [u8; 3], b: [u8; 3], tolerance: i32) -> bool {
    a.iter()
        .zip(b)
        .all(|(&x, y)| (x as i32 - y as i32).abs() <= tolerance)
}

/// A colour of the dark theme (the window's default), as the screenshot's pixels hold it.
const fn rgb(c: downhill::theme::palette::Rgb) -> [u8; 3] {
    [c.0, c.1, c.2]
}

const BACKGROUND: [u8; 3] = rgb(downhill::theme::palette::DARK.background);
const BALL: [u8; 3] = rgb(downhill::theme::palette::DARK.ball);

fn is_orange(c: [u8; 3]) -> bool {
    c[0] > 180 && (90..=200).contains(&c[1]) && c[2] < 110
}

fn is_curve_blue(c: [u8; 3]) -> bool {
    c[2] > 170 && c[1] > 110 && (c[0] as i32) < c[2] as i32 - 80
}

#[test]
fn the_window_shows_the_curve_the_ball_the_orange_tangent_and_the_panel() {
    let (picture, note) = screenshot(
        "scene",
        &[
            "--curve", "bowl", "--x0", "2", "--lr", "0.1", "--h", "0.5", "--paused", "--wait", "3",
        ],
    );
    let width = note["window"][0].as_f64().unwrap() as f32;
    assert_eq!(
        picture.width as f32,
        width * picture.scale,
        "the screenshot is the whole window"
    );

    // Not blank: a rendered scene has many colours.
    let mut colours: Vec<[u8; 3]> = picture.rgb.chunks(3).map(|c| [c[0], c[1], c[2]]).collect();
    colours.sort();
    colours.dedup();
    assert!(
        colours.len() > 200,
        "only {} colours: the frame looks blank",
        colours.len()
    );

    // The ball: its fill colour all around its centre (the very centre holds the chord's first point).
    let (bx, by) = point(&note["ball"]);
    let ring: Vec<bool> = (0..12)
        .map(|i| {
            let a = i as f32 * std::f32::consts::TAU / 12.0;
            close(picture.at(bx + 7.5 * a.cos(), by + 7.5 * a.sin()), BALL, 40)
        })
        .collect();
    assert!(
        ring.iter().filter(|&&hit| hit).count() >= 10,
        "the ball is not at {bx},{by}: {ring:?}"
    );

    // The tangent: orange dashes along the line through the ball.
    let (t0, t1) = (point(&note["tangent"][0]), point(&note["tangent"][1]));
    let samples = 80;
    let orange = (0..samples)
        .map(|i| {
            let t = i as f32 / (samples - 1) as f32;
            (t0.0 + (t1.0 - t0.0) * t, t0.1 + (t1.1 - t0.1) * t)
        })
        .filter(|&(x, y)| (x - bx).hypot(y - by) > 20.0)
        .filter(|&(x, y)| picture.near(x, y, 1.5, is_orange))
        .count();
    assert!(
        orange >= samples / 3,
        "only {orange} of {samples} points on the tangent are orange"
    );

    // The curve: blue wherever it runs, away from the ball and the guides that cross it.
    let curve = curve_points(&note);
    let clear: Vec<&(f32, f32)> = curve
        .iter()
        .filter(|&&(x, y)| (x - bx).hypot(y - by) > 40.0)
        .collect();
    assert!(clear.len() >= 10);
    let blue = clear
        .iter()
        .filter(|&&&(x, y)| picture.near(x, y, 2.0, is_curve_blue))
        .count();
    assert!(
        blue * 10 >= clear.len() * 8,
        "only {blue} of {} curve points are drawn blue",
        clear.len()
    );

    // The chord's far end is marked.
    let (cx, cy) = point(&note["chord_end"]);
    assert!(
        picture.near(cx, cy, 2.0, |c| close(c, CHORD, 50)),
        "no chord end mark at {cx},{cy}"
    );

    // The panel: on the right, not the scene's background, with text in it.
    let panel = &note["panel"];
    let (px0, px1) = (
        panel[0].as_f64().unwrap() as f32,
        panel[2].as_f64().unwrap() as f32,
    );
    assert!(
        px0 > width * 0.5 && (px1 - width).abs() < 1.0,
        "the panel should sit on the right: {panel}"
    );
    let mut bright = 0;
    let mut background = 0;
    let mut total = 0;
    for y in (10..700).step_by(4) {
        for x in ((px0 as i32 + 4)..(px1 as i32 - 4)).step_by(4) {
            let c = picture.at(x as f32, y as f32);
            total += 1;
            if c.iter().all(|&v| v > 150) {
                bright += 1;
            }
            if close(c, BACKGROUND, 3) {
                background += 1;
            }
        }
    }
    assert!(
        bright > 40,
        "the panel shows almost no text ({bright} bright pixels)"
    );
    assert!(
        background * 4 < total,
        "the panel looks like the empty scene background"
    );

    // Left of the panel, the scene's background fills the margins.
    assert!(
        close(picture.at(10.0, 700.0), BACKGROUND, 6),
        "corner is {:?}",
        picture.at(10.0, 700.0)
    );
}

const CHORD: [u8; 3] = rgb(downhill::theme::palette::DARK.chord);
const CENTRAL: [u8; 3] = rgb(downhill::theme::palette::DARK.central);

/// Where `test` holds inside `r`, in logical pixels, one sample per pixel.

#[test]
fn the_chord_lab_shows_the_error_v_and_the_zoom_lens() {
    let (picture, note) = screenshot(
        "chord-lab",
        &[
            "--curve", "exp", "--x0", "1", "--h", "1e-3", "--lab", "--paused", "--wait", "3",
        ],
    );

    // The zoom lens: a bordered inset where the chord spans about half the width, with the tangent and ball.
    let lens = rect(&note["lens"]);
    let inner = [lens[0] + 3.0, lens[1] + 3.0, lens[2] - 3.0, lens[3] - 3.0];
    let green = pixels_where(&picture, inner, |c| close(c, CHORD, 45));
    assert!(
        green.len() > 150,
        "only {} chord pixels in the lens",
        green.len()
    );
    let (lo, hi) = green.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| {
        (lo.min(p.0), hi.max(p.0))
    });
    let width = lens[2] - lens[0];
    assert!(
        hi - lo > 0.4 * width,
        "the chord spans {} of {width} px in the lens",
        hi - lo
    );
    assert!(
        pixels_where(&picture, inner, is_orange).len() > 40,
        "no tangent in the lens"
    );
    assert!(
        pixels_where(&picture, inner, |c| close(c, BALL, 40)).len() > 40,
        "no ball in the lens"
    );
    let mid = (lens[1] + lens[3]) / 2.0;
    assert!(
        picture.near(lens[0] + 1.0, mid, 1.0, |c| close(c, [112, 122, 140], 45)),
        "the lens has no border"
    );

    // The error plot: a V for each scheme, the central one's dip to the right of (at a larger h than) the
    // forward one's, and the best-h markers. The legend sits in the lower-left corner; skip it.
    let plot = rect(&note["error_plot"]);
    let lines = [plot[0] + 130.0, plot[1] + 4.0, plot[2] - 4.0, plot[3] - 4.0];
    let lowest = |colour: [u8; 3]| {
        let found = pixels_where(&picture, lines, |c| close(c, colour, 45));
        assert!(
            found.len() > 60,
            "only {} pixels of {colour:?} in the error plot",
            found.len()
        );
        found
            .into_iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap()
    };
    let forward_dip = lowest(CHORD);
    let central_dip = lowest(CENTRAL);
    let fraction = |x: f32| (x - plot[0]) / (plot[2] - plot[0]);
    assert!(
        (0.35..0.75).contains(&fraction(forward_dip.0)),
        "the forward error is lowest at {:.2} of the plot's width: no V",
        fraction(forward_dip.0)
    );
    assert!(
        central_dip.0 > forward_dip.0 + 10.0,
        "central dip at {central_dip:?}, forward at {forward_dip:?}"
    );
    assert!(
        central_dip.1 > forward_dip.1,
        "the central chord's best error is smaller than the forward one's"
    );
    let markers = pixels_where(&picture, plot, |c| close(c, [250, 214, 80], 40));
    assert!(markers.len() > 20, "no best-h markers in the error plot");
}

#[test]
fn a_race_shows_every_ball_and_their_losses() {
    let (picture, note) = screenshot_sized(
        "race",
        &["--scenario", "Plateau crawl", "--speed", "8", "--wait", "3"],
        // Tall enough that the panel's loss plot is on screen without scrolling, below the learning
        // rate's safe-rate sentence and the predict switch.
        (1280, 1440),
    );
    let rivals = note["rivals"].as_array().expect("rival positions");
    assert_eq!(rivals.len(), 2, "the scenario races three balls");
    // The race's colours, from the theme.
    let colours: Vec<[u8; 3]> = downhill::theme::palette::DARK
        .balls
        .iter()
        .map(|c| [c.0, c.1, c.2])
        .collect();
    // Every rival still on the plot is drawn in its own colour.
    let plot = rect(&note["plot"]);
    let mut drawn = 0;
    let places: Vec<(f32, f32)> = rivals.iter().map(point).collect();
    for (i, &(x, y)) in places.iter().enumerate() {
        // A ball that a later one sits on top of cannot be seen; skip it.
        let covered = places[i + 1..]
            .iter()
            .any(|&(u, v)| (u - x).hypot(v - y) < 14.0);
        if !covered && x > plot[0] && x < plot[2] && y > plot[1] && y < plot[3] {
            assert!(
                picture.near(x, y, 3.0, |c| close(c, colours[i + 1], 40)),
                "ball {} not drawn at {x},{y}",
                i + 2
            );
            drawn += 1;
        }
    }
    // Where the balls are after 90 frames depends on the frame rate; at least one rival must be in view.
    assert!(drawn >= 1, "no rival ball is drawn on the plot");
    // The loss plot has a line in each ball's colour.
    let losses = rect(&note["loss_plot"]);
    for &colour in &colours[..3] {
        let found = pixels_where(&picture, losses, |c| close(c, colour, 40)).len();
        assert!(
            found > 25,
            "only {found} pixels of {colour:?} in the loss plot"
        );
    }
}

/// CPU seconds (user + system) a process has used so far, from /proc.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The command name may hold spaces; the fields after its closing parenthesis are fixed.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    let hz = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse::<f64>().ok())
        .unwrap_or(100.0);
    ticks / hz
}

#[test]
fn a_paused_untouched_window_stops_redrawing() {
    let screen = Screen::start((1280, 720), false);
    let mut run = screen.launch(&["--paused", "--size", "1280x720"]);
    run.wait_for("Creating new window", std::time::Duration::from_secs(120));
    // Let the first frames, the fonts and the ball's settling pass.
    std::thread::sleep(std::time::Duration::from_secs(4));
    let pid = run.child.id();
    let before = cpu_seconds(pid);
    std::thread::sleep(std::time::Duration::from_secs(10));
    let used = cpu_seconds(pid) - before;
    assert!(run.alive());
    // Measured here: about 1% of a core (0.1 s in 10 s); a window redrawing every frame uses 150% or more.
    assert!(
        used < 0.5,
        "a paused, untouched window used {used:.2} s of CPU in 10 s; it should sleep"
    );
}

#[test]
fn scene_two_shows_the_loss_landscape_the_data_line_and_the_slice() {
    let (picture, note) = screenshot("gradient", &["--scene", "gradient", "--wait", "2"]);
    let r = &note["gradient"];
    // The lesson's numbers at w = 0.5, b = 0 with the point (2, 3).
    assert_eq!(r["loss"], 4.0);
    assert_eq!(r["dw"], -8.0);
    assert_eq!(r["db"], -4.0);

    // The height map: many different colours across the landscape, dark in the valley, bright far away.
    let land = rect(&r["landscape"]);
    let mut colours = std::collections::BTreeSet::new();
    for i in 0..20 {
        for j in 0..20 {
            let x = land[0] + (land[2] - land[0]) * (i as f32 + 0.5) / 20.0;
            let y = land[1] + (land[3] - land[1]) * (j as f32 + 0.5) / 20.0;
            let c = picture.at(x, y);
            colours.insert((c[0] / 16, c[1] / 16, c[2] / 16));
        }
    }
    assert!(
        colours.len() > 25,
        "a height map, not a flat fill: {} colours",
        colours.len()
    );
    let brightness = |c: [u8; 3]| c.iter().map(|&v| v as u32).sum::<u32>();
    // The valley is the line 2w + b = 3; (w, b) = (1.5, 0) lies on it, (-1, -2) far from it.
    let valley = picture.at(
        land[0] + (1.5 + 1.0) / 4.0 * (land[2] - land[0]),
        land[3] - (0.0 + 2.0) / 5.0 * (land[3] - land[1]),
    );
    let far = picture.at(land[0] + 3.0, land[3] - 3.0);
    assert!(
        brightness(valley) + 150 < brightness(far),
        "valley {valley:?} vs far {far:?}"
    );

    // The ball at (0.5, 0), the data point, the line through the data.
    let (bx, by) = point(&r["ball"]);
    assert!(
        picture.near(bx, by, 4.0, |c| close(c, BALL, 40)),
        "the ball at ({bx}, {by})"
    );
    let (px, py) = point(&r["points"][0]);
    assert!(
        picture.near(px, py, 4.0, |c| close(c, BALL, 40)),
        "the data point"
    );
    for end in 0..2 {
        let (lx, ly) = point(&r["line"][end]);
        assert!(
            picture.near(lx, ly, 3.0, is_curve_blue),
            "the line at ({lx}, {ly})"
        );
    }
    // The slice is drawn in scene 1's blue, with the orange tangent.
    let slice = rect(&r["slice"]);
    assert!(pixels_where(&picture, slice, is_curve_blue).len() > 300);
    assert!(pixels_where(&picture, slice, is_orange).len() > 40);
}

#[test]
fn resizing_minimising_and_losing_focus_mid_drag_keep_the_ball_on_the_curve() {
    use std::time::Duration;
    let screen = Screen::start((3840, 2160), true);
    let path = screenshot_dir().join("abuse.png");
    let _ = std::fs::remove_file(&path);
    let mut run = screen.launch(&[
        "--paused",
        "--x0",
        "1.5",
        "--size",
        "1280x720",
        "--wait",
        "25",
        "--screenshot",
        path.to_str().unwrap(),
    ]);
    run.wait_for("Creating new window", Duration::from_secs(120));
    let window = screen.find_window();
    let x = |args: &[&str]| {
        screen.tool("xdotool", args);
        std::thread::sleep(Duration::from_millis(600));
    };
    x(&["windowsize", &window, "1", "1"]);
    x(&["windowsize", &window, "3840", "2160"]);
    x(&["windowsize", &window, "1280", "720"]);
    x(&["windowminimize", &window]);
    x(&["windowactivate", &window]);
    // Press on the plot (the ball jumps there and is held), drag, then lose the window mid-drag.
    x(&[
        "mousemove",
        "--window",
        &window,
        "300",
        "400",
        "mousedown",
        "1",
    ]);
    x(&["mousemove", "--window", &window, "420", "380"]);
    x(&["windowminimize", &window]);
    x(&["mouseup", "1"]);
    x(&["windowactivate", &window]);
    assert_eq!(
        run.exit_code(Duration::from_secs(240)),
        Some(0),
        "log:\n{}",
        run.log.join("\n")
    );
    let note: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path.with_extension("png.json")).unwrap())
            .unwrap();
    let (bx, by) = point(&note["ball"]);
    assert!(bx.is_finite() && by.is_finite());
    // The ball sits on the curve: between the two curve samples around it, within a few pixels.
    let curve = curve_points(&note);
    let around = curve.windows(2).find(|w| w[0].0 <= bx && bx <= w[1].0);
    if let Some(w) = around {
        let t = (bx - w[0].0) / (w[1].0 - w[0].0);
        let on_curve = w[0].1 + t * (w[1].1 - w[0].1);
        assert!(
            (by - on_curve).abs() < 8.0,
            "ball at ({bx}, {by}), curve at {on_curve}"
        );
    } else {
        panic!("the ball ({bx}, {by}) is off the plot; curve {curve:?}");
    }
}

/// Opens the window as a person would (paused, with a window manager), sends `keys` once it is up, then
/// leaves it alone: the screenshot comes `seconds` after the first frame, with the program's own pacing (no
/// forced redraws). Returns the scene note.
fn press_then_leave_alone(name: &str, keys: &[&str], seconds: u32) -> serde_json::Value {
    let screen = Screen::start((1280, 720), true);
    let path = screenshot_dir().join(format!("{name}.png"));
    let note_path = path.with_extension("png.json");
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(&note_path);
    let path_text = path.to_string_lossy().into_owned();
    let wait = seconds.to_string();
    let mut run = screen.launch(&[
        "--size",
        "1280x720",
        "--speed",
        "6",
        "--screenshot",
        &path_text,
        "--wait",
        &wait,
    ]);
    let window = screen.find_window();
    run.wait_for("Creating new window", std::time::Duration::from_secs(120));
    std::thread::sleep(std::time::Duration::from_millis(1500));
    screen.tool("xdotool", &["windowactivate", "--sync", &window]);
    for key in keys {
        screen.tool("xdotool", &["key", key]);
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    assert_eq!(
        run.exit_code(std::time::Duration::from_secs(120)),
        Some(0),
        "log:\n{}",
        run.log.join("\n")
    );
    serde_json::from_str(&std::fs::read_to_string(&note_path).unwrap()).unwrap()
}

#[test]
fn scene_one_keeps_playing_when_nobody_touches_it() {
    // Space, then hands off: at 6 steps a second, about 7 seconds of play (a stalled window takes one).
    let note = press_then_leave_alone("play-scene-1", &["space"], 10);
    let step = note["step"].as_u64().unwrap();
    assert!(
        step >= 15,
        "scene 1 took {step} steps in about 7 s of untouched play; expected about 40"
    );
}

#[test]
fn scene_two_keeps_playing_when_nobody_touches_it() {
    // The bug this catches: one step, then nothing until the mouse moves. At 6 steps a second, about 7 s
    // of play; the lesson's point at lr 0.05 settles after about 35 steps, where Play stops by itself.
    let note = press_then_leave_alone("play-scene-2", &["2", "space"], 10);
    let step = note["gradient"]["step"].as_u64().unwrap();
    assert!(
        step >= 15,
        "scene 2 took {step} steps in about 7 s of untouched play; expected 35 or so (frames drawn: {})",
        note["frames"]
    );
}

#[test]
fn the_window_opens_still_so_people_can_read_it_first() {
    // Nobody presses anything: after 5 seconds the ball has not moved.
    let note = press_then_leave_alone("opens-still", &[], 5);
    assert_eq!(
        note["step"].as_u64(),
        Some(0),
        "scene 1 started rolling by itself"
    );
}

#[test]
fn the_chords_rise_is_drawn_even_where_it_lies_on_a_grid_line() {
    // At 1920x1080 the bowl's grid has a line at x = 2.5, exactly where the rise of the chord from 1.5 with
    // h = 1 stands; it used to be painted over by the grid.
    let (picture, note) = screenshot_sized("rise-on-grid", &["--wait", "3"], (1920, 1080));
    let (start, end) = (point(&note["chord_start"]), point(&note["chord_end"]));
    assert!(
        end.1 < start.1 - 40.0,
        "the chord rises: {start:?} -> {end:?}"
    );
    let (mut seen, mut samples) = (0, 0);
    let mut y = end.1 + 12.0;
    while y < start.1 - 12.0 {
        samples += 1;
        if picture.near(end.0, y, 1.5, |c| close(c, CHORD, 70)) {
            seen += 1;
        }
        y += 4.0;
    }
    assert!(
        seen * 10 >= samples * 8,
        "the rise at x = {} shows the chord's colour at {seen} of {samples} samples",
        end.0
    );
}

fn is_rising_magenta(c: [u8; 3]) -> bool {
    c[0] > 170 && c[2] > 150 && (c[1] as i32) < c[0] as i32 - 50
}

fn is_falling_cyan(c: [u8; 3]) -> bool {
    c[2] > 170 && c[1] > 150 && (c[0] as i32) < c[1] as i32 - 70
}

/// A flat guide: the minimum's yellow, over the background at about half strength.
fn is_guide_yellow(c: [u8; 3]) -> bool {
    c[0] > 110 && c[1] > 90 && (c[2] as i32) < c[0] as i32 - 50
}

/// Checks a screenshot with the slope plot on: the point at the tangent's slope, f' in its two colours, and
/// a guide at every flat tangent. Returns how many flat guides were found.
fn check_slope_plot(name: &str, picture: &Picture, note: &serde_json::Value) -> usize {
    let slope_plot = &note["slope_plot"];
    assert!(slope_plot.is_object(), "{name}: no slope plot in {note}");
    assert_eq!(
        slope_plot["slope"], slope_plot["tangent_slope"],
        "{name}: the point's height and the tangent's slope are one number in one frame"
    );
    let plot = rect(&note["plot"]);
    let below = rect(&slope_plot["rect"]);
    assert!(
        below[1] > plot[3],
        "{name}: the slope plot is under the plot"
    );
    assert_eq!(
        (below[0], below[2]),
        (plot[0], plot[2]),
        "{name}: same x axis"
    );
    let (px, py) = point(&slope_plot["point"]);
    assert_eq!(slope_plot["trace"], false);
    let (bx, _) = point(&note["ball"]);
    assert!((px - bx).abs() < 1.0, "{name}: the point is under the ball");
    assert!(
        picture.near(px, py, 3.0, is_orange),
        "{name}: no orange point at {px},{py}: {:?}",
        picture.at(px, py)
    );
    let flats: Vec<f32> = slope_plot["flats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[1].as_f64().unwrap() as f32)
        .collect();
    let samples = slope_plot["curve"].as_array().unwrap();
    let clear: Vec<((f32, f32), bool)> = samples
        .iter()
        .map(|s| (point(&s[0]), s[1].as_bool().unwrap()))
        .filter(|&((x, y), _)| {
            (x - px).hypot(y - py) > 30.0 && flats.iter().all(|f| (x - f).abs() > 8.0)
        })
        .collect();
    assert!(clear.len() >= 15, "{name}: {} samples", clear.len());
    let right = clear
        .iter()
        .filter(|&&((x, y), rising)| {
            picture.near(
                x,
                y,
                2.5,
                if rising {
                    is_rising_magenta
                } else {
                    is_falling_cyan
                },
            )
        })
        .count();
    assert!(
        right * 10 >= clear.len() * 8,
        "{name}: only {right} of {} points of f' are drawn in their side's colour",
        clear.len()
    );
    // Each guide runs through the gap between the two plots, where nothing else is drawn.
    let gap_y = 0.5 * (plot[3] + below[1]);
    for &column in &flats {
        assert!(
            picture.near(column, gap_y, 1.5, is_guide_yellow),
            "{name}: no flat guide at x = {column} between the plots: {:?}",
            picture.at(column, gap_y)
        );
    }
    flats.len()
}

#[test]
fn the_slope_plot_draws_f_prime_under_the_curve_with_its_point_and_flat_guides() {
    let (picture, note) = screenshot(
        "slope-plot",
        &[
            "--curve",
            "double-well",
            "--derivative",
            "--x0",
            "1.2",
            "--wait",
            "3",
        ],
    );
    // f'(1.2) = 4(1.728) - 7.2 + 1 = 0.712 (read back from JSON, so to a few ulps).
    let slope = note["slope_plot"]["slope"].as_f64().unwrap();
    assert!((slope - 0.712).abs() < 1e-12, "{slope}");
    assert_eq!(check_slope_plot("double-well", &picture, &note), 3);

    // While it plays (8 steps a second, the window at its own pace), the point and the tangent drawn in the
    // frame of the screenshot still share one number.
    let (_, note) = screenshot(
        "slope-plot-playing",
        &[
            "--curve",
            "double-well",
            "--derivative",
            "--x0",
            "-1.9",
            "--lr",
            "0.01",
            "--play",
            "--speed",
            "8",
            "--wait",
            "3",
        ],
    );
    assert!(
        note["step"].as_u64().unwrap() > 5,
        "it played: {}",
        note["step"]
    );
    assert_eq!(
        note["slope_plot"]["slope"],
        note["slope_plot"]["tangent_slope"]
    );

    // The trace: f' only where the ball has been. From -1.9 at lr 0.01 it rolls toward the valley at -1.3,
    // so the slope is drawn on the left (cyan dots, falling) and nowhere right of 0.
    let (picture, note) = screenshot(
        "slope-plot-trace",
        &[
            "--curve",
            "double-well",
            "--trace",
            "--x0",
            "-1.9",
            "--lr",
            "0.01",
            "--play",
            "--speed",
            "8",
            "--wait",
            "3",
        ],
    );
    let slope_plot = &note["slope_plot"];
    assert_eq!(slope_plot["trace"], true);
    let below = rect(&slope_plot["rect"]);
    let zero_column = below[0] + (below[2] - below[0]) * (2.2 / 4.4);
    let right: Vec<(f32, f32)> = slope_plot["curve"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| point(&s[0]))
        .filter(|&(x, _)| x > zero_column + 10.0)
        .collect();
    assert!(right.len() >= 10);
    let drawn_right = right
        .iter()
        .filter(|&&(x, y)| picture.near(x, y, 2.0, |c| is_rising_magenta(c) || is_falling_cyan(c)))
        .count();
    assert!(
        drawn_right <= 1,
        "the trace draws f' where the ball has not been: {drawn_right} of {} points right of 0",
        right.len()
    );
    let dots = pixels_where(
        &picture,
        [below[0], below[1], zero_column, below[3]],
        is_falling_cyan,
    );
    assert!(
        dots.len() >= 20,
        "no traced points where the ball rolled ({} cyan pixels)",
        dots.len()
    );

    // A typed formula at 1920x1080: its derivative is drawn as well, and its zeros guided.
    let (picture, note) = screenshot_sized(
        "slope-plot-formula",
        &[
            "--curve",
            "x sin(x)",
            "--derivative",
            "--x0",
            "2",
            "--wait",
            "3",
        ],
        (1920, 1080),
    );
    assert_eq!(check_slope_plot("x sin(x)", &picture, &note), 3);
}
