//! On the desktop: reads the command line, then opens the window or prints what a headless command computed.
//! On a web page: reads the page's address and runs in its canvas (`downhill::web`).

#[cfg(target_arch = "wasm32")]
fn main() {
    downhill::web::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    desktop::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod desktop {
    use std::process::ExitCode;

    use bevy::prelude::*;
    use downhill::bench::{BenchPlan, BenchScene};
    use downhill::cli::{self, Command as CliCommand, Parsed};
    use downhill::scenarios::Scenarios;
    use downhill::text::Languages;
    use downhill::{AppPlugin, Launch, files};

    pub fn main() -> ExitCode {
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
            Parsed::Window {
                launch,
                exhibit,
                language,
                theme,
            } => open_window(launch, exhibit, language, theme),
        }
    }

    fn run_command(command: &CliCommand) -> ExitCode {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let result = match command {
            CliCommand::Simulate(args) => cli::simulate(args, &mut out, &mut std::io::stderr()),
            CliCommand::Slope(args) => cli::slope(args, &mut out, &mut std::io::stderr()),
            CliCommand::Derivative(args) => cli::derivative(args, &mut out, &mut std::io::stderr()),
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

    fn load_assets() -> Result<(Languages, Scenarios), ExitCode> {
        let languages = files::languages().map_err(|error| {
            eprintln!("downhill: {error}");
            ExitCode::from(2)
        })?;
        if let Some(old) = files::asset_path("lesson.toml") {
            eprintln!(
                "downhill: {} is no longer read: the words are in lang/en.toml and one file per language \
                 beside it; move your changes there",
                old.display()
            );
        }
        let scenarios = files::scenarios().map_err(|error| {
            eprintln!("downhill: {error}");
            ExitCode::from(2)
        })?;
        languages
            .check_scenarios(scenarios.0.iter().map(|s| s.title.as_str()))
            .map_err(|error| {
                eprintln!("downhill: {error}");
                ExitCode::from(2)
            })?;
        Ok((languages, scenarios))
    }

    fn exit_code(exit: AppExit) -> ExitCode {
        match exit {
            AppExit::Success => ExitCode::SUCCESS,
            AppExit::Error(code) => ExitCode::from(code.get()),
        }
    }

    fn run_bench(args: &cli::BenchArgs) -> ExitCode {
        let (languages, scenarios) = match load_assets() {
            Ok(assets) => assets,
            Err(code) => return code,
        };
        let lesson = languages.first().clone();
        if let Some(line) = cli::missing_display() {
            eprintln!("{line}");
            return ExitCode::from(2);
        }
        let scene = match args.scene {
            cli::BenchSceneArg::Full => BenchScene::Full,
            cli::BenchSceneArg::Empty => BenchScene::Empty,
        };
        let plan = BenchPlan {
            scene,
            warmup: args.warmup,
            frames: args.frames,
        };
        match downhill::bench::app(plan, args.size, lesson, scenarios) {
            Ok(mut app) => exit_code(app.run()),
            Err(line) => {
                eprintln!("downhill: bench: {line}");
                ExitCode::from(2)
            }
        }
    }

    fn open_window(
        mut launch: Launch,
        exhibit: Option<Option<std::path::PathBuf>>,
        language: Option<String>,
        theme: Option<downhill::theme::ThemeName>,
    ) -> ExitCode {
        let (languages, scenarios) = match load_assets() {
            Ok(assets) => assets,
            Err(code) => return code,
        };
        // Checked before any window opens: a wrong key stops here with its file, line and name.
        let exhibit = match exhibit.map(|path| files::exhibit(path.as_deref(), &scenarios)) {
            None => None,
            Some(Ok(config)) => Some(config),
            Some(Err(error)) => {
                eprintln!("downhill: {error}");
                return ExitCode::from(2);
            }
        };
        let mut exhibit = exhibit;
        if let Some(Err(error)) = exhibit.as_mut().map(|c| c.check_languages(&languages)) {
            eprintln!("downhill: {error}");
            return ExitCode::from(2);
        }
        // --lang, else the exhibit's default language, else English.
        match language {
            Some(code) => {
                if let Err(why) = languages.check(&code) {
                    eprintln!("downhill: --lang: {why}");
                    return ExitCode::from(2);
                }
                launch.language = code;
            }
            None => {
                if let Some(config) = &exhibit {
                    launch.language = config.language.clone();
                }
            }
        }
        // --theme, else the exhibit's theme, else dark.
        launch.theme = theme
            .or(exhibit.as_ref().map(|config| config.theme))
            .unwrap_or_default();
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
                exhibit,
                languages,
                scenarios,
            })
            .run()
        {
            AppExit::Success => ExitCode::SUCCESS,
            AppExit::Error(code) => ExitCode::from(code.get()),
        }
    }
}
