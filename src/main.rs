//! Reads the command line, then opens the window or prints what a headless command computed.

use std::process::ExitCode;

use bevy::prelude::*;
use bevy_egui::EguiPlugin;
use downhill::bench::{BenchPlan, BenchScene};
use downhill::cli::{self, Command as CliCommand, Parsed};
use downhill::math::optimizer::Method;
use downhill::scenarios::Scenarios;
use downhill::sim::{RunCommand, ShrinkCommand};
use downhill::text::LessonText;
use downhill::{AppPlugin, Launch, window_plugin};

fn main() -> ExitCode {
    downhill::bench::mark_process_start();
    match cli::parse(std::env::args_os()) {
        Parsed::Info(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Parsed::Error(line) => {
            eprintln!("{line}");
            ExitCode::from(2)
        }
        Parsed::Command(CliCommand::Bench(args)) => run_bench(&args),
        Parsed::Command(command) => run_command(&command),
        Parsed::Window { launch, exhibit } => open_window(launch, exhibit),
    }
}

fn run_command(command: &CliCommand) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = match command {
        CliCommand::Simulate(args) => cli::simulate(args, &mut out, &mut std::io::stderr()),
        CliCommand::Slope(args) => cli::slope(args, &mut out, &mut std::io::stderr()),
        CliCommand::Bench(args) => return run_bench(args),
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

fn load_assets() -> Result<(LessonText, Scenarios), ExitCode> {
    let lesson = LessonText::load().map_err(|error| {
        eprintln!("downhill: {error}");
        ExitCode::from(2)
    })?;
    let scenarios = Scenarios::load().map_err(|error| {
        eprintln!("downhill: {error}");
        ExitCode::from(2)
    })?;
    Ok((lesson, scenarios))
}

fn exit_code(exit: AppExit) -> ExitCode {
    match exit {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

fn run_bench(args: &cli::BenchArgs) -> ExitCode {
    let (lesson, scenarios) = match load_assets() {
        Ok(assets) => assets,
        Err(code) => return code,
    };
    if let Some(line) = cli::missing_display() {
        eprintln!("{line}");
        return ExitCode::from(2);
    }
    let launch = Launch {
        size: args.size,
        vsync: false,
        paused: true,
        ..Launch::default()
    };
    let scene = match args.scene {
        cli::BenchSceneArg::Full => BenchScene::Full,
        cli::BenchSceneArg::Empty => BenchScene::Empty,
    };
    let mut app = App::new();
    match scene {
        BenchScene::Full => {
            let Some(race) = scenarios.find("Plateau crawl") else {
                eprintln!(
                    "downhill: bench: assets/scenarios.toml has no 'Plateau crawl' scenario to play"
                );
                return ExitCode::from(2);
            };
            app.add_plugins(AppPlugin {
                launch,
                lesson,
                scenarios,
            })
            .insert_resource(downhill::sim::StepsPerSecond(20.0))
            .add_systems(Startup, move |mut commands: MessageWriter<RunCommand>| {
                // In this order: the race (which plays at once), three more balls joining it (six in all),
                // then h starts shrinking.
                commands.write(RunCommand::Scenario(race.clone()));
                for method in [Method::Nesterov, Method::RmsProp, Method::Gd] {
                    commands.write(RunCommand::AddBall {
                        method,
                        learning_rate: 0.2,
                    });
                }
                commands.write(RunCommand::Shrink(ShrinkCommand::Toggle));
            });
        }
        BenchScene::Empty => {
            app.add_plugins(DefaultPlugins.set(window_plugin(&launch)))
                .add_plugins(EguiPlugin::default())
                .add_plugins(downhill::bench::empty_scene);
        }
    }
    app.insert_resource(BenchPlan {
        scene,
        warmup: args.warmup,
        frames: args.frames,
    })
    .add_plugins(downhill::bench::plugin);
    exit_code(app.run())
}

fn open_window(mut launch: Launch, exhibit: Option<Option<std::path::PathBuf>>) -> ExitCode {
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
    if let Some(path) = exhibit {
        // Checked before any window opens: a wrong key stops here with its file, line and name.
        match downhill::exhibit::config::load(path.as_deref(), &scenarios) {
            Ok(config) => launch.exhibit = Some(config),
            Err(error) => {
                eprintln!("downhill: {error}");
                return ExitCode::from(2);
            }
        }
    }
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
    // Every option and file is checked by now: only then say that there is nowhere to open the window.
    if let Some(line) = cli::missing_display() {
        eprintln!("{line}");
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
