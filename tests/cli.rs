//! The headless commands, run as a user would run the built binary.

use std::process::{Command, Output};

fn downhill(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_downhill"))
        .args(args)
        .output()
        .expect("the downhill binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn csv(output: &Output) -> Vec<Vec<f64>> {
    stdout(output)
        .lines()
        .skip(1)
        .map(|line| line.split(',').map(|v| v.parse::<f64>().unwrap()).collect())
        .collect()
}

#[test]
fn simulate_prints_the_start_and_one_row_per_step_in_round_trip_form() {
    let output = downhill(&[
        "simulate", "--curve", "bowl", "--lr", "0.1", "--x0", "1", "--steps", "5",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("step,x,loss,grad"));
    assert_eq!(lines.next(), Some("0,1,1,2"));
    let rows = csv(&output);
    assert_eq!(rows.len(), 6);
    // Recompute each row in f64 the same way: the printed numbers must read back bit for bit.
    let mut x: f64 = 1.0;
    for (step, row) in rows.iter().enumerate() {
        assert_eq!(row[0], step as f64);
        assert_eq!(row[1].to_bits(), x.to_bits(), "x at step {step}");
        assert_eq!(row[2].to_bits(), (x * x).to_bits());
        assert_eq!(row[3].to_bits(), (2.0 * x).to_bits());
        x -= 0.1 * (2.0 * x);
    }
}

#[test]
fn simulate_runs_every_step_it_was_asked_for_even_after_converging() {
    let output = downhill(&["simulate", "--lr", "0.5", "--x0", "1", "--steps", "4"]);
    let rows = csv(&output);
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[1][1], 0.0);
    assert!(stderr(&output).is_empty());
}

#[test]
fn simulate_stops_a_diverging_run_and_says_where_on_stderr() {
    let output = downhill(&["simulate", "--lr", "1.1", "--x0", "1", "--steps", "1000"]);
    assert!(output.status.success());
    assert_eq!(stderr(&output).trim(), "diverged at step 76");
    let rows = csv(&output);
    assert_eq!(rows.last().unwrap()[0], 76.0);
    assert!(rows.iter().flatten().all(|v| v.is_finite()));
}

#[test]
fn simulate_can_print_json() {
    let output = downhill(&[
        "simulate",
        "--curve",
        "double-well",
        "--lr",
        "0.01",
        "--x0",
        "2",
        "--steps",
        "3",
        "--format",
        "json",
    ]);
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["curve"], "double-well");
    assert_eq!(json["steps"].as_array().unwrap().len(), 4);
    assert_eq!(
        json["steps"][0]["loss"],
        2.0 * 2.0 * 2.0 * 2.0 - 3.0 * 4.0 + 2.0
    );
    assert_eq!(json["status"], "running");
}

#[test]
fn slope_prints_forward_and_central_slopes_for_every_decade_of_h() {
    let output = downhill(&["slope", "--curve", "bowl", "--at", "3"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.starts_with("h,forward,central,exact,forward_error,central_error\n"));
    let rows = csv(&output);
    assert_eq!(rows.len(), 17);
    assert_eq!(rows[0][0], 1.0);
    assert_eq!(rows[16][0], 1e-16);
    for row in &rows {
        assert_eq!(row[3], 6.0);
        assert_eq!(row[4], (row[1] - 6.0).abs());
        assert_eq!(row[5], (row[2] - 6.0).abs());
    }
    // h = 1e-5: the central slope is 6 to within 1e-9, the forward one is off by about h.
    assert!(rows[5][5] < 1e-9);
    assert!((rows[5][4] - 1e-5).abs() < 1e-6);
}

#[test]
fn negative_start_points_are_accepted() {
    let output = downhill(&["slope", "--at", "-2"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(csv(&output)[0][3], -4.0);
}

#[test]
fn help_documents_the_commands_and_keys() {
    let output = downhill(&["--help"]);
    assert!(output.status.success());
    let text = stdout(&output);
    for word in [
        "simulate",
        "slope",
        "--curve",
        "--lr",
        "--paused",
        "Space",
        "fullscreen",
    ] {
        assert!(text.contains(word), "--help does not mention {word}");
    }
}

#[test]
fn bad_input_gives_one_line_naming_the_argument_and_exit_code_2() {
    let cases: &[(&[&str], &str)] = &[
        (&["simulate", "--curve", "banana"], "--curve"),
        (&["simulate", "--lr", "fast"], "--lr"),
        (&["simulate", "--lr", "NaN"], "--lr"),
        (&["simulate", "--lr", "inf"], "--lr"),
        (&["simulate", "--lr", "-0.1"], "--lr"),
        (&["simulate", "--x0", "inf"], "--x0"),
        (&["simulate", "--x0", "abc"], "--x0"),
        (&["simulate", "--steps", "-5"], "--steps"),
        (&["simulate", "--steps", "2.5"], "--steps"),
        (&["simulate", "--format", "xml"], "--format"),
        (&["slope"], "--at"),
        (&["slope", "--at", "NaN"], "--at"),
        (&["--h", "2"], "--h"),
        (&["--size", "big"], "--size"),
        (&["--frobnicate"], "--frobnicate"),
        (&["--speed", "0"], "--speed"),
        (&["--scenario", "no such story"], "--scenario"),
        (&["--curve", "sin(x"], "--curve"),
        (&["bench", "--scene", "huge"], "--scene"),
        (&["bench", "--frames", "0"], "--frames"),
        (&["simulate", "--optimizer", "sgd"], "--optimizer"),
        // Extreme numbers: each refused with its range, never run.
        (&["simulate", "--lr", "1e300"], "--lr"),
        (&["--lr", "1e300"], "--lr"),
        (&["--h", "1e-320"], "--h"),
        (&["--h", "4.9e-324"], "--h"),
        (&["--x0", "NaN"], "--x0"),
        (&["--x0", "-inf"], "--x0"),
        (&["simulate", "--momentum", "1"], "--momentum"),
        (&["simulate", "--beta2", "NaN"], "--beta2"),
        (&["simulate", "--eps", "0"], "--eps"),
        (&["simulate", "--steps", "99999999999"], "--steps"),
        (&["--frames", "0"], "--frames"),
        (&["--size", "0x10"], "--size"),
        (&["--size", "100000x10"], "--size"),
        (&["--scheme", "sideways"], "--scheme"),
        (&["--scene", "third"], "--scene"),
        (&["--config", "x.toml"], "--exhibit"),
        (&["bench", "--size", "1x"], "--size"),
        (&["bench", "--warmup", "-1"], "--warmup"),
        (
            &["simulate", "--scene", "regression", "--b0", "inf"],
            "--b0",
        ),
    ];
    for (args, named) in cases {
        let output = downhill(args);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
        assert_eq!(
            message.trim_end().lines().count(),
            1,
            "{args:?} printed more than one line: {message}"
        );
        assert!(
            message.contains(named),
            "{args:?}: the message does not name {named}: {message}"
        );
        assert!(stdout(&output).is_empty());
    }
}

#[test]
fn slope_on_exp_at_one_agrees_with_the_difference_functions() {
    use downhill::math::difference::{DECADES, central_difference, forward_difference};
    let output = downhill(&["slope", "--curve", "exp", "--at", "1"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows = csv(&output);
    assert_eq!(rows.len(), DECADES.len());
    let e = 1f64.exp();
    for (row, &h) in rows.iter().zip(&DECADES) {
        assert_eq!(row[0], h);
        assert_eq!(
            row[1].to_bits(),
            forward_difference(f64::exp, 1.0, h).to_bits(),
            "forward at h={h:e}"
        );
        assert_eq!(
            row[2].to_bits(),
            central_difference(f64::exp, 1.0, h).to_bits(),
            "central at h={h:e}"
        );
        assert_eq!(row[3], e);
    }
    // The last row is the collapse: 1 + 1e-16 == 1, so the forward slope is exactly 0.
    assert_eq!(rows[16][1], 0.0);
}

#[test]
fn formulas_are_curves_on_the_command_line_and_undefined_points_stop_the_run() {
    let output = downhill(&[
        "simulate",
        "--curve",
        "x^4 - 3x^2 + x",
        "--lr",
        "0.01",
        "--x0",
        "2",
        "--steps",
        "2",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let typed = csv(&output);
    let built_in = csv(&downhill(&[
        "simulate",
        "--curve",
        "double-well",
        "--lr",
        "0.01",
        "--x0",
        "2",
        "--steps",
        "2",
    ]));
    for (a, b) in typed.iter().zip(&built_in) {
        for (u, v) in a.iter().zip(b) {
            assert!((u - v).abs() <= 1e-12 * v.abs().max(1.0), "{a:?} vs {b:?}");
        }
    }

    let output = downhill(&[
        "simulate", "--curve", "ln(x)", "--x0", "0.5", "--lr", "1", "--steps", "10",
    ]);
    assert!(output.status.success());
    assert_eq!(stderr(&output).trim(), "undefined at x = -1.5");
    assert_eq!(
        csv(&output).len(),
        1,
        "only the start row: nothing undefined is printed"
    );

    let output = downhill(&["slope", "--curve", "sin(x)", "--at", "0"]);
    assert!(output.status.success());
    assert_eq!(csv(&output)[0][3], 1.0);

    let output = downhill(&["simulate", "--curve", "sin(x"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("--curve") && message.contains("column 6"),
        "{message}"
    );
}

#[test]
fn simulate_runs_every_optimizer_and_checks_its_settings() {
    for method in ["gd", "momentum", "nesterov", "rmsprop", "adam"] {
        let output = downhill(&[
            "simulate",
            "--optimizer",
            method,
            "--x0",
            "1",
            "--lr",
            "0.1",
            "--steps",
            "3",
        ]);
        assert!(output.status.success(), "{method}: {}", stderr(&output));
        assert_eq!(csv(&output).len(), 4, "{method}");
    }
    // Momentum's first two steps on the bowl from 1 with lr 0.1: 0.8, then 0.46.
    let rows = csv(&downhill(&[
        "simulate",
        "--optimizer",
        "momentum",
        "--x0",
        "1",
        "--lr",
        "0.1",
        "--steps",
        "2",
    ]));
    assert!(
        (rows[1][1] - 0.8).abs() < 1e-15 && (rows[2][1] - 0.46).abs() < 1e-15,
        "{rows:?}"
    );
    for (flag, value) in [
        ("--momentum", "1"),
        ("--alpha", "-0.1"),
        ("--beta1", "2"),
        ("--beta2", "NaN"),
        ("--eps", "0"),
    ] {
        let output = downhill(&["simulate", "--optimizer", "adam", flag, value]);
        assert_eq!(output.status.code(), Some(2), "{flag} {value}");
        assert!(
            stderr(&output).contains(flag),
            "{flag}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn exhibit_config_errors_name_the_file_line_and_key_and_exit_2_before_any_window() {
    let dir = std::env::temp_dir().join(format!("downhill-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        (
            "wrong-type.toml",
            "fullscreen = false\nreset_seconds = \"later\"\n",
            ":2: key 'reset_seconds': expected a number",
        ),
        (
            "unknown-key.toml",
            "fullscreen = false\n\n[[scene]]\nshow = \"slope\"\ncaption = \"x\"\nsize = 3\n",
            ":6: key 'size': unknown key in scene 1",
        ),
        (
            "bad-toml.toml",
            "idle_seconds = 4\n[[scene]\n",
            ":2: this is not valid TOML",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        // No display is needed: the file is checked before a window could open.
        let output = Command::new(env!("CARGO_BIN_EXE_downhill"))
            .args(["--exhibit", "--config", path.to_str().unwrap()])
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .unwrap();
        let error = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{name}: {error}");
        assert_eq!(error.lines().count(), 1, "{name}: one line, got {error}");
        assert!(
            error.contains(name) && error.contains(expected),
            "{name}: {error}"
        );
    }
    let output = downhill(&["--exhibit", "--config", "/no/such/exhibit.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("/no/such/exhibit.toml: cannot read"));
    let output = downhill(&["--config", "x.toml"]);
    assert_eq!(output.status.code(), Some(2), "--config needs --exhibit");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn simulate_gradient_under_its_old_name_regression_starts_at_the_lessons_numbers() {
    let output = downhill(&["simulate", "--scene", "regression", "--steps", "2"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("step,w,b,loss,dw,db"));
    // w = 0.5, b = 0, one point (2, 3): L = 4, dL/dw = -8, dL/db = -4.
    assert_eq!(lines.next(), Some("0,0.5,0,4,-8,-4"));
    assert_eq!(lines.count(), 2);
}

#[test]
fn both_scenes_answer_to_their_new_names_and_their_old_ones() {
    for (new, old) in [("gradient", "regression"), ("slope", "curve")] {
        let by_new = downhill(&["simulate", "--scene", new, "--steps", "3"]);
        let by_old = downhill(&["simulate", "--scene", old, "--steps", "3"]);
        assert!(by_new.status.success(), "{new}: {}", stderr(&by_new));
        assert_eq!(
            stdout(&by_new),
            stdout(&by_old),
            "--scene {new} and --scene {old}"
        );
    }
    let output = downhill(&["--scene", "third"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--scene"), "{}", stderr(&output));
}

#[test]
fn simulate_gradient_fits_the_least_squares_line_or_says_it_diverged() {
    // Points (0, 1) and (1, 3): the least-squares line is y = 2x + 1. Hessian [[1, 1], [1, 2]] has largest
    // eigenvalue (3 + sqrt 5) / 2, so plain descent needs lr < 2 / 2.618 = 0.764.
    let output = downhill(&[
        "simulate",
        "--scene",
        "regression",
        "--points",
        "0,1;1,3",
        "--lr",
        "0.3",
        "--steps",
        "2000",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let last = csv(&output).pop().unwrap();
    assert!(
        (last[1] - 2.0).abs() < 1e-6 && (last[2] - 1.0).abs() < 1e-6,
        "{last:?}"
    );
    let output = downhill(&[
        "simulate",
        "--scene",
        "regression",
        "--points",
        "0,1;1,3",
        "--lr",
        "0.8",
        "--steps",
        "2000",
    ]);
    assert!(output.status.success());
    assert!(
        stderr(&output).starts_with("diverged at step"),
        "{}",
        stderr(&output)
    );
    assert!(csv(&output).len() < 2000);
    let output = downhill(&[
        "simulate",
        "--scene",
        "regression",
        "--optimizer",
        "adam",
        "--lr",
        "0.05",
        "--steps",
        "3",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["steps"][0]["dw"], -8.0);
    assert_eq!(json["steps"].as_array().unwrap().len(), 4);
}

#[test]
fn regression_options_are_checked() {
    for (args, expected) in [
        (vec!["simulate", "--w0", "1"], "--scene regression"),
        (
            vec!["simulate", "--scene", "regression", "--x0", "1"],
            "--x0",
        ),
        (
            vec!["simulate", "--scene", "regression", "--points", "1,2;x,3"],
            "'x' is not a number",
        ),
        (
            vec!["simulate", "--scene", "regression", "--points", "1;2"],
            "is not x,y",
        ),
        (
            vec!["simulate", "--scene", "regression", "--w0", "nan"],
            "--w0",
        ),
    ] {
        let output = downhill(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let error = stderr(&output);
        assert_eq!(error.lines().count(), 1, "{args:?}: {error}");
        assert!(error.contains(expected), "{args:?}: {error}");
    }
    use downhill::math::regression::MAX_POINTS;
    let points = |count: usize| -> String {
        (0..count)
            .map(|i| format!("{},1", i % 7))
            .collect::<Vec<_>>()
            .join(";")
    };
    let output = downhill(&[
        "simulate",
        "--scene",
        "regression",
        "--points",
        &points(MAX_POINTS),
        "--steps",
        "1",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = downhill(&[
        "simulate",
        "--scene",
        "regression",
        "--points",
        &points(MAX_POINTS + 1),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains(&format!("1 to {MAX_POINTS} points")));
}

/// Five points about the line y = x + 1, for the minibatch runs.
const FIVE_POINTS: &str = "0,1;1,3;2,2.5;3,4.5;4,4";

/// `simulate --scene gradient` on [`FIVE_POINTS`], 40 steps at lr 0.05, then `more`.
fn five_point_run(more: &[&str]) -> Output {
    let base = [
        "simulate",
        "--scene",
        "gradient",
        "--points",
        FIVE_POINTS,
        "--lr",
        "0.05",
        "--steps",
        "40",
    ];
    downhill(&[&base[..], more].concat())
}

#[test]
fn a_batch_of_every_point_prints_exactly_what_plain_descent_prints() {
    for format in ["csv", "json"] {
        let plain = five_point_run(&["--format", format]);
        assert!(plain.status.success(), "{}", stderr(&plain));
        for more in [
            vec!["--batch", "5"],
            vec!["--batch", "5", "--seed", "9"],
            vec!["--seed", "9"],
        ] {
            let full = five_point_run(&[&more[..], &["--format", format][..]].concat());
            assert!(full.status.success(), "{more:?}: {}", stderr(&full));
            assert_eq!(
                stdout(&full),
                stdout(&plain),
                "{format} with {more:?}: byte for byte"
            );
        }
    }
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&five_point_run(&["--format", "json"]))).unwrap();
    assert_eq!(json["batch"], 5);
    assert!(json["seed"].is_null(), "plain descent draws nothing");
    assert!(json["steps"][0].get("batch_dw").is_none());
}

#[test]
fn the_same_seed_replays_a_minibatch_run_and_another_seed_does_not() {
    let run = |seed: &str, format: &str| {
        let output = five_point_run(&["--batch", "2", "--seed", seed, "--format", format]);
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    for format in ["csv", "json"] {
        assert_eq!(run("3", format), run("3", format), "{format}: seed 3 twice");
        assert_ne!(
            run("3", format),
            run("4", format),
            "{format}: seeds 3 and 4"
        );
    }
    assert_ne!(
        run("3", "csv"),
        stdout(&five_point_run(&[])),
        "a batch of 2 is not plain descent"
    );
    let json: serde_json::Value = serde_json::from_str(&run("3", "json")).unwrap();
    assert_eq!(json["batch"], 2);
    assert_eq!(json["seed"], 3);
    let steps = json["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 41);
    assert!(
        steps[40].get("batch_dw").is_none(),
        "no step was taken from the last row"
    );
    // Each row's batch gradient is the mean over its two points, at that row's (w, b).
    let points: Vec<(f64, f64)> = FIVE_POINTS
        .split(';')
        .map(|pair| {
            let (x, y) = pair.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect();
    for row in &steps[..40] {
        let picked: Vec<usize> = row["batch_points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_u64().unwrap() as usize)
            .collect();
        assert_eq!(picked.len(), 2, "{row}");
        assert!(picked[0] < picked[1] && picked[1] < 5, "{row}");
        let (w, b) = (row["w"].as_f64().unwrap(), row["b"].as_f64().unwrap());
        let (mut dw, mut db) = (0.0, 0.0);
        for &i in &picked {
            let (x, y) = points[i];
            let r = y - (w * x + b);
            dw += -2.0 * x * r;
            db += -2.0 * r;
        }
        let near = |a: f64, b: f64| (a - b).abs() <= 1e-12 * (1.0 + b.abs());
        assert!(near(row["batch_dw"].as_f64().unwrap(), dw / 2.0), "{row}");
        assert!(near(row["batch_db"].as_f64().unwrap(), db / 2.0), "{row}");
    }
}

#[test]
fn a_batch_of_no_points_or_more_than_there_are_is_refused_in_one_line() {
    for (batch, words) in [
        ("0", vec!["--batch 0", "from 1 to 2"]),
        ("3", vec!["--batch 3", "only 2 points", "from 1 to 2"]),
    ] {
        let output = downhill(&[
            "simulate", "--scene", "gradient", "--points", "0,1;1,3", "--batch", batch,
        ]);
        assert_one_line_error(&output, &format!("--batch {batch}"), &words);
    }
    let output = downhill(&["simulate", "--scene", "gradient", "--batch", "2"]);
    assert_one_line_error(
        &output,
        "the lesson's one point",
        &["only 1 point", "from 1 to 1"],
    );
    for flag in ["--batch", "--seed"] {
        let output = downhill(&["simulate", flag, "1"]);
        assert_one_line_error(&output, flag, &[flag, "--scene gradient"]);
    }
    for (flag, value) in [("--batch", "-1"), ("--batch", "two"), ("--seed", "-3")] {
        let output = downhill(&["simulate", "--scene", "gradient", flag, value]);
        assert_one_line_error(&output, &format!("{flag} {value}"), &[flag]);
    }
}

/// Runs the binary with no display of any kind in its environment.
fn downhill_without_a_display(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_downhill"))
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .output()
        .expect("the downhill binary runs")
}

/// Asserts that `output` failed with exit code 2 and one line on stderr containing every one of `words`, and
/// printed nothing on stdout.
fn assert_one_line_error(output: &Output, what: &str, words: &[&str]) {
    let message = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{what}: {message}");
    assert_eq!(
        message.trim_end().lines().count(),
        1,
        "{what}: one line, got {message}"
    );
    for word in words {
        assert!(message.contains(word), "{what}: no '{word}' in {message}");
    }
    assert!(stdout(output).is_empty(), "{what}: {}", stdout(output));
}

/// Every number in CSV or JSON text, as written (split on the separators of both).
fn fields(text: &str) -> Vec<&str> {
    text.split([',', '\n', ':', '[', ']', '{', '}'])
        .map(str::trim)
        .filter(|field| !field.is_empty())
        .collect()
}

/// No field reads as infinity or not-a-number, and no zero carries a minus sign.
fn assert_only_plain_finite_numbers(text: &str, what: &str) {
    for field in fields(text) {
        let lower = field.to_ascii_lowercase();
        assert!(
            !lower.contains("inf") && !lower.contains("nan"),
            "{what}: '{field}' in {text}"
        );
        if let Ok(value) = field.parse::<f64>() {
            assert!(
                !(value == 0.0 && field.starts_with('-')),
                "{what}: a zero with a minus sign, '{field}', in {text}"
            );
        }
    }
}

#[test]
fn without_a_display_the_window_says_so_in_one_line_and_points_to_the_headless_commands() {
    for args in [
        &[][..],
        &["--paused"][..],
        &["--screenshot", "/tmp/downhill-no-display.png"][..],
        &["--exhibit"][..],
        &["bench", "--frames", "1"][..],
    ] {
        let output = downhill_without_a_display(args);
        assert_one_line_error(
            &output,
            &format!("{args:?}"),
            &[
                "no display",
                "DISPLAY",
                "downhill simulate",
                "downhill slope",
            ],
        );
    }
    // A display that is named but has nothing behind it: the same one line, naming what was tried.
    let unused = (900..1000)
        .find(|n| !std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
        .unwrap();
    let display = format!(":{unused}");
    let output = Command::new(env!("CARGO_BIN_EXE_downhill"))
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .output()
        .unwrap();
    assert_one_line_error(
        &output,
        "a stale DISPLAY",
        &[
            "no display",
            &format!("DISPLAY={display}"),
            "downhill simulate",
        ],
    );
    let runtime = std::env::temp_dir().join(format!("downhill-no-wayland-{}", std::process::id()));
    std::fs::create_dir_all(&runtime).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_downhill"))
        .env("WAYLAND_DISPLAY", "wayland-9")
        .env("XDG_RUNTIME_DIR", &runtime)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .output()
        .unwrap();
    std::fs::remove_dir_all(&runtime).ok();
    assert_one_line_error(
        &output,
        "a Wayland socket that is gone",
        &[
            "no display",
            "wayland-9",
            "WAYLAND_DISPLAY",
            "downhill slope",
        ],
    );
    // Help, version, bad arguments and the headless commands need no display.
    let help = downhill_without_a_display(&["--help"]);
    assert!(help.status.success(), "{}", stderr(&help));
    let version = downhill_without_a_display(&["--version"]);
    assert!(version.status.success(), "{}", stderr(&version));
    assert_one_line_error(
        &downhill_without_a_display(&["--frobnicate"]),
        "a bad flag",
        &["--frobnicate"],
    );
    assert_one_line_error(
        &downhill_without_a_display(&["--scenario", "no such story"]),
        "a bad scenario",
        &["--scenario"],
    );
    let simulate = downhill_without_a_display(&["simulate", "--steps", "1"]);
    assert!(simulate.status.success(), "{}", stderr(&simulate));
    let slope = downhill_without_a_display(&["slope", "--at", "1"]);
    assert!(slope.status.success(), "{}", stderr(&slope));
}

#[test]
fn an_undefined_start_is_an_error_that_names_the_formula_and_the_point() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["slope", "--curve", "1/x", "--at", "0"],
            &["1/x is undefined at x = 0", "--at"],
        ),
        (
            &["slope", "--curve", "sqrt(x)", "--at", "-1"],
            &["sqrt(x) is undefined at x = -1", "--at"],
        ),
        (
            &["simulate", "--curve", "1/(x-1)", "--x0", "1"],
            &["1/(x-1) is undefined at x = 1", "--x0"],
        ),
        (
            &[
                "simulate", "--curve", "1/(x-1)", "--x0", "1", "--format", "json",
            ],
            &["1/(x-1) is undefined at x = 1", "--x0"],
        ),
        (
            // sqrt has a value at 0 but its slope is infinite there: no step can be taken.
            &["simulate", "--curve", "sqrt(x)", "--x0", "0"],
            &["sqrt(x)", "x = 0", "slope", "--x0"],
        ),
        (
            &[
                "simulate",
                "--curve",
                "ln(x)",
                "--x0",
                "-2",
                "--optimizer",
                "adam",
            ],
            &["ln(x) is undefined at x = -2", "--x0"],
        ),
        (
            // Defined nowhere: even the curve's own start is undefined, so the message says to give --x0.
            &["simulate", "--curve", "ln(-x^2)"],
            &["ln(-x^2) is undefined", "default start", "--x0"],
        ),
        (
            // Past 1e6 a run counts as diverged: it cannot start there.
            &["simulate", "--x0", "2e6"],
            &["--x0", "2000000", "beyond 1e6"],
        ),
        (
            // The line's loss overflows at such a weight: no row of it could be printed.
            &["simulate", "--scene", "regression", "--w0", "1e300"],
            &["--w0"],
        ),
    ];
    for (args, words) in cases {
        assert_one_line_error(&downhill(args), &format!("{args:?}"), words);
    }
}

#[test]
fn a_run_that_lands_where_the_formula_is_undefined_stops_before_the_bad_row_in_json_too() {
    // ln(x) from 0.5 with lr 1: x - 1 * (1 / 0.5) = -1.5, where ln has no value.
    let output = downhill(&[
        "simulate", "--curve", "ln(x)", "--x0", "0.5", "--lr", "1", "--steps", "10", "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output).trim(), "undefined at x = -1.5");
    let text = stdout(&output);
    assert_only_plain_finite_numbers(&text, "ln(x) json");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["status"], "undefined");
    assert_eq!(json["status_step"], 1);
    assert_eq!(json["steps"].as_array().unwrap().len(), 1);
    // serde_json would write a NaN or an infinity as null: every number of every step is a real number.
    let every_number_is_finite = |json: &serde_json::Value| {
        json["steps"].as_array().unwrap().iter().all(|step| {
            step.as_object()
                .unwrap()
                .values()
                .all(|v| v.as_f64().is_some_and(f64::is_finite))
        })
    };
    assert!(every_number_is_finite(&json), "{text}");
    // 1/x from -0.5 with lr 1 jumps over the pole at 0 to 3.5 and rolls on: every row printed is finite.
    for format in ["csv", "json"] {
        let output = downhill(&[
            "simulate", "--curve", "1/x", "--x0", "-0.5", "--lr", "1", "--steps", "50", "--format",
            format,
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert_only_plain_finite_numbers(&stdout(&output), &format!("1/x {format}"));
        if format == "json" {
            let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
            assert!(every_number_is_finite(&json), "{}", stdout(&output));
        }
    }
}

#[test]
fn slope_leaves_a_chord_empty_where_its_far_end_is_undefined_and_says_so() {
    // sqrt at 0.05: the central chord reaches x - h = -0.95 and -0.05 for h = 1 and 0.1, where sqrt has no
    // value; the forward chord is fine everywhere.
    let output = downhill(&["slope", "--curve", "sqrt(x)", "--at", "0.05"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert_only_plain_finite_numbers(&text, "sqrt at 0.05");
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 17);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), 6, "row {i}: {row:?}");
        assert!(row[1].parse::<f64>().is_ok(), "row {i}: forward {row:?}");
        assert!(
            row[4].parse::<f64>().is_ok(),
            "row {i}: forward error {row:?}"
        );
        if i < 2 {
            assert_eq!((row[2], row[5]), ("", ""), "row {i}: central left empty");
        } else {
            assert!(row[2].parse::<f64>().is_ok(), "row {i}: central {row:?}");
        }
    }
    let message = stderr(&output);
    assert_eq!(message.trim_end().lines().count(), 1, "{message}");
    assert!(
        message.contains("central")
            && message.contains("h = 1, 0.1")
            && !message.contains("forward"),
        "{message}"
    );
    // exp at 709.5: e^710.5 overflows, so the forward and central chords with h = 1 have no finite slope.
    let output = downhill(&["slope", "--curve", "exp", "--at", "709.5"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_only_plain_finite_numbers(&stdout(&output), "exp at 709.5");
    let first = stdout(&output).lines().nth(1).unwrap().to_owned();
    assert!(first.starts_with("1,,,"), "{first}");
    assert!(stderr(&output).contains("forward"), "{}", stderr(&output));
}

#[test]
fn a_formula_that_starts_with_a_minus_sign_is_read_as_typed() {
    // -x^2 + 4 at -1.5: 4 - 2.25 = 1.75, slope -2x = 3.
    let output = downhill(&[
        "simulate", "--curve", "-x^2 + 4", "--x0", "-1.5", "--lr", "0.1", "--steps", "2",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows = csv(&output);
    assert_eq!(
        rows.len(),
        3,
        "--steps after the negative numbers is still a flag"
    );
    assert_eq!(rows[0], vec![0.0, -1.5, 1.75, 3.0]);
    let output = downhill(&["slope", "--curve", "-x^2", "--at", "-2"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(csv(&output)[0][3], 4.0);
    let output = downhill(&[
        "simulate",
        "--curve",
        "-x^3 + 3x",
        "--lr",
        "-0.1",
        "--steps",
        "1",
    ]);
    assert_one_line_error(&output, "a negative --lr", &["--lr"]);
    // The window's --curve takes it too: the bad flag after it is what gets reported.
    assert_one_line_error(
        &downhill(&["--curve", "-x^2 + 4", "--frobnicate"]),
        "window --curve",
        &["--frobnicate"],
    );
    // A flag where the curve should be is not read as a formula.
    assert_one_line_error(
        &downhill(&["simulate", "--curve", "--lr", "0.1"]),
        "--curve with no value",
        &["--curve", "--lr", "needs"],
    );
}

#[test]
fn no_number_printed_on_the_command_line_is_a_zero_with_a_minus_sign() {
    for args in [
        &["simulate", "--x0", "-0", "--steps", "2"][..],
        &["simulate", "--x0", "-0", "--steps", "2", "--format", "json"][..],
        &["simulate", "--curve", "0*x", "--x0", "-1", "--steps", "2"][..],
        &[
            "simulate", "--curve", "0*x", "--x0", "-1", "--steps", "2", "--format", "json",
        ][..],
        &["simulate", "--curve=-x^2", "--x0", "0", "--steps", "2"][..],
        &["slope", "--curve=-x^2", "--at", "0"][..],
        &["slope", "--curve", "0*x", "--at", "-1"][..],
        &[
            "simulate",
            "--scene",
            "regression",
            "--points",
            "-0,0",
            "--w0",
            "-0",
            "--b0",
            "-0",
            "--steps",
            "1",
        ][..],
        &[
            "simulate",
            "--scene",
            "regression",
            "--points",
            "-0,0",
            "--w0",
            "-0",
            "--b0",
            "-0",
            "--steps",
            "1",
            "--format",
            "json",
        ][..],
    ] {
        let output = downhill(args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert_only_plain_finite_numbers(&stdout(&output), &format!("{args:?}"));
    }
}

#[test]
fn only_an_x_display_on_this_machine_is_checked_for_a_server() {
    use downhill::cli::local_x_display;
    assert_eq!(local_x_display(":0"), Some("0"));
    assert_eq!(local_x_display(":12.1"), Some("12"));
    // Remote and unusual displays are left to winit.
    for display in [
        "localhost:10.0",
        "unix:0",
        ":",
        ":x",
        "/tmp/launch/org.xquartz:0",
    ] {
        assert_eq!(local_x_display(display), None, "{display}");
    }
}

#[test]
fn derivative_prints_the_slope_of_a_curve_written_out_on_one_line() {
    for (curve, written) in [
        ("double-well", "4x^3 - 6x + 1"),
        ("bowl", "2x"),
        ("ripples", "x + 1.8 sin(6x)"),
        ("x sin(x)", "sin(x) + x cos(x)"),
        ("(x^2+1)(x-1)", "3x^2 - 2x + 1"),
        ("-x^2 + 4", "-2x"),
    ] {
        let output = downhill(&["derivative", "--curve", curve]);
        assert!(output.status.success(), "{curve}: {}", stderr(&output));
        assert_eq!(stdout(&output), format!("{written}\n"), "{curve}");
        assert!(stderr(&output).is_empty(), "{curve}: {}", stderr(&output));
    }
    // The printed formula is a curve downhill reads back: its derivative's derivative.
    let output = downhill(&["derivative", "--curve", "4x^3 - 6x + 1"]);
    assert_eq!(stdout(&output), "12x^2 - 6\n");
}

#[test]
fn derivative_says_where_the_slope_is_not_defined() {
    let output = downhill(&["derivative", "--curve", "vee"]);
    assert!(output.status.success());
    assert_eq!(stdout(&output), "sign(x)\n");
    let said = stderr(&output);
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(said.starts_with("not defined where x = 0:"), "{said}");
}

#[test]
fn derivative_refuses_a_bad_curve_in_one_line() {
    let output = downhill(&["derivative", "--curve", "x^"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).is_empty());
    let said = stderr(&output);
    assert_eq!(said.trim_end().lines().count(), 1, "{said}");
    assert!(said.contains("column 3"), "{said}");
}

#[test]
fn simulate_json_rows_carry_the_second_derivative() {
    let output = downhill(&[
        "simulate",
        "--curve",
        "double-well",
        "--x0",
        "0.5",
        "--steps",
        "3",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let steps = json["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 4);
    for step in steps {
        let x = step["x"].as_f64().unwrap();
        let second = step["second_derivative"].as_f64().unwrap();
        // f''(x) = 12x^2 - 6 (JSON is read back to within an ulp or so, hence the tolerance).
        assert!(
            (second - (12.0 * x * x - 6.0)).abs() < 1e-12,
            "at x = {x}: {second}"
        );
    }
    assert_eq!(steps[0]["second_derivative"], -3.0);
}
