//! Reads the command line, then opens the window or prints what a headless command computed.

use std::process::ExitCode;

use bevy::prelude::*;
use downhill::cli::{self, Command as CliCommand, Parsed};
use downhill::scenarios::Scenarios;
use downhill::text::LessonText;
use downhill::{AppPlugin, Launch};

fn main() -> ExitCode {
    match cli::parse(std::env::args_os()) {
        Parsed::Info(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Parsed::Error(line) => {
            eprintln!("{line}");
            ExitCode::from(2)
        }
        Parsed::Command(command) => run_command(&command),
        Parsed::Window(launch) => open_window(launch),
    }
}

fn run_command(command: &CliCommand) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = match command {
        CliCommand::Simulate(args) => cli::simulate(args, &mut out, &mut std::io::stderr()),
        CliCommand::Slope(args) => cli::slope(args, &mut out),
    };
    let result = result.and_then(|()| std::io::Write::flush(&mut out));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error worth a message.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("downhill: cannot write the output: {error}");
            ExitCode::FAILURE
        }
    }
}

fn open_window(launch: Launch) -> ExitCode {
    let lesson = match LessonText::load() {
        Ok(lesson) => lesson,
        Err(error) => {
            eprintln!("downhill: {error}");
            return ExitCode::from(2);
        }
    };
    let scenarios = match Scenarios::load() {
        Ok(scenarios) => scenarios,
        Err(error) => {
            eprintln!("downhill: {error}");
            return ExitCode::from(2);
        }
    };
    if let Some(wanted) = &launch.scenario
        && scenarios.find(wanted).is_none()
    {
        let titles: Vec<&str> = scenarios.0.iter().map(|s| s.title.as_str()).collect();
        eprintln!(
            "downhill: --scenario: no scenario '{wanted}'; choose one of: {}",
            titles.join("; ")
        );
        return ExitCode::from(2);
    }
    match App::new()
        .add_plugins(AppPlugin {
            launch,
            lesson,
            scenarios,
        })
        .run()
    {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}
