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
fn simulate_regression_starts_at_the_lessons_numbers() {
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
fn simulate_regression_fits_the_least_squares_line_or_says_it_diverged() {
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
    let many: Vec<String> = (0..21).map(|i| format!("{i},1")).collect();
    let output = downhill(&[
        "simulate",
        "--scene",
        "regression",
        "--points",
        &many.join(";"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("1 to 20 points"));
}
