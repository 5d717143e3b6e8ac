//! What the real-window tests share: running downhill under Xvfb, reading its screenshots and notes.
#![allow(dead_code)]

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one window may take to start, render and save its screenshot.
const WINDOW_TIMEOUT: Duration = Duration::from_secs(240);

pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
    pub scale: f32,
}

impl Picture {
    pub fn at(&self, x: f32, y: f32) -> [u8; 3] {
        let px = ((x * self.scale).round() as i64).clamp(0, self.width as i64 - 1) as usize;
        let py = ((y * self.scale).round() as i64).clamp(0, self.height as i64 - 1) as usize;
        let i = (py * self.width as usize + px) * 3;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }

    /// True if any pixel within `radius` logical pixels of (x, y) passes `test`.
    pub fn near(&self, x: f32, y: f32, radius: f32, test: impl Fn([u8; 3]) -> bool) -> bool {
        let r = radius.ceil() as i32;
        (-r..=r).any(|dy| (-r..=r).any(|dx| test(self.at(x + dx as f32, y + dy as f32))))
    }
}

pub fn screenshot_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is <target>/tmp; screenshots go beside it in <target>/screenshots.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Run downhill with `args` plus `--screenshot`, and return the picture and the scene note.
pub fn screenshot(name: &str, args: &[&str]) -> (Picture, serde_json::Value) {
    screenshot_sized(name, args, (1280, 720))
}

/// Like [`screenshot`], on a screen (and window) of `size` logical pixels.
pub fn screenshot_sized(
    name: &str,
    args: &[&str],
    size: (u32, u32),
) -> (Picture, serde_json::Value) {
    screenshot_with_env(name, args, size, &[])
}

/// Like [`screenshot_sized`], with these environment variables set for the program.
pub fn screenshot_with_env(
    name: &str,
    args: &[&str],
    size: (u32, u32),
    env: &[(&str, &str)],
) -> (Picture, serde_json::Value) {
    let path = screenshot_dir().join(format!("{name}.png"));
    let note_path = path.with_extension("png.json");
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(&note_path);
    let binary = env!("CARGO_BIN_EXE_downhill");
    let mut command = if std::env::var_os("DISPLAY").is_some() {
        Command::new(binary)
    } else {
        let found = Command::new("sh")
            .args(["-c", "command -v xvfb-run"])
            .output();
        assert!(
            found.is_ok_and(|o| o.status.success()),
            "no display: DISPLAY is not set and xvfb-run is not installed. Run scripts/test.sh, which installs \
             Xvfb and Mesa's Vulkan driver, or apt-get install xvfb mesa-vulkan-drivers"
        );
        let mut c = Command::new("xvfb-run");
        let screen = format!("-screen 0 {}x{}x24", size.0, size.1);
        c.args(["-a", "-s", screen.as_str(), binary]);
        c
    };
    let runtime = std::env::temp_dir().join(format!("downhill-xdg-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&runtime).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    command
        .args(args)
        .arg("--size")
        .arg(format!("{}x{}", size.0, size.1))
        .arg("--screenshot")
        .arg(&path)
        .env("XDG_RUNTIME_DIR", &runtime)
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("downhill starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > WINDOW_TIMEOUT {
            let _ = child.kill();
            panic!("downhill did not save its screenshot within {WINDOW_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut log = String::new();
    if let Some(mut err) = child.stderr.take() {
        use std::io::Read;
        let _ = err.read_to_string(&mut log);
    }
    assert!(
        status.success(),
        "downhill exited with {status}; its log:\n{log}"
    );
    assert!(
        path.is_file(),
        "no screenshot at {}; log:\n{log}",
        path.display()
    );
    let note: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&note_path).unwrap()).unwrap();

    let picture = load_picture(&path, &note);
    (picture, note)
}

/// The note's sampled curve, as screen points.
pub fn curve_points(note: &serde_json::Value) -> Vec<(f32, f32)> {
    note["curve"]
        .as_array()
        .unwrap()
        .iter()
        .map(point)
        .collect()
}

pub fn point(value: &serde_json::Value) -> (f32, f32) {
    (
        value[0].as_f64().unwrap() as f32,
        value[1].as_f64().unwrap() as f32,
    )
}

pub fn rect(value: &serde_json::Value) -> [f32; 4] {
    let r: Vec<f32> = value
        .as_array()
        .expect("a rectangle")
        .iter()
        .map(|v| v.as_f64().unwrap() as f32)
        .collect();
    [r[0], r[1], r[2], r[3]]
}

pub fn pixels_where(
    picture: &Picture,
    r: [f32; 4],
    test: impl Fn([u8; 3]) -> bool,
) -> Vec<(f32, f32)> {
    let mut found = Vec::new();
    let mut y = r[1];
    while y < r[3] {
        let mut x = r[0];
        while x < r[2] {
            if test(picture.at(x, y)) {
                found.push((x, y));
            }
            x += 1.0;
        }
        y += 1.0;
    }
    found
}

/// A private X server (Xvfb) with a window manager on it, for tests that drive a running window with xdotool.
pub struct Screen {
    pub display: String,
    children: Vec<std::process::Child>,
    runtime: PathBuf,
    // One Screen at a time per test binary: two X servers and a window manager starting together on two
    // cores made openbox miss its start-up deadline.
    _turn: std::sync::MutexGuard<'static, ()>,
}

static ONE_SCREEN_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

impl Screen {
    /// Starts Xvfb at `size` and, with `window_manager`, openbox on it.
    pub fn start(size: (u32, u32), window_manager: bool) -> Self {
        let guard = ONE_SCREEN_AT_A_TIME
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut tools = vec!["Xvfb", "xdotool"];
        if window_manager {
            tools.extend(["openbox", "wmctrl"]);
        }
        for tool in tools {
            assert!(
                have(tool),
                "{tool} is not installed. Run scripts/test.sh, which installs what the tests need, or \
                 apt-get install xvfb xdotool openbox wmctrl"
            );
        }
        // Tests in one binary share a process id, so each Screen also takes its own turn from a counter.
        static TURN: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let turn = TURN.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let first = 200 + (std::process::id() % 100) * 8 + turn * 997 % 8;
        let free = |n: &u32| {
            !Path::new(&format!("/tmp/.X{n}-lock")).exists()
                && !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
        };
        // Another program may take the same free number between the look and the start: then this Xvfb
        // exits at once, and a client would talk to the other server. Only a server of our own will do.
        let mut candidates = (first..first + 400).filter(free);
        let (number, xvfb) = loop {
            let number = candidates.next().expect("a free X display number");
            let mut xvfb = Command::new("Xvfb")
                .args([
                    format!(":{number}").as_str(),
                    "-screen",
                    "0",
                    &format!("{}x{}x24", size.0, size.1),
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb starts");
            std::thread::sleep(Duration::from_millis(300));
            match xvfb.try_wait() {
                Ok(None) => break (number, xvfb),
                _ => continue,
            }
        };
        let display = format!(":{number}");
        let runtime =
            std::env::temp_dir().join(format!("downhill-xdg-{}-{number}", std::process::id()));
        std::fs::create_dir_all(&runtime).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        let mut screen = Screen {
            display,
            children: vec![xvfb],
            runtime,
            _turn: guard,
        };
        // Ready once it answers a client, not merely once its socket exists.
        let started = Instant::now();
        while !screen
            .tool("xdotool", &["getdisplaygeometry"])
            .status
            .success()
        {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "Xvfb did not start on {}",
                screen.display
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        if window_manager {
            screen.start_window_manager();
        }
        screen
    }

    /// Starts openbox and waits until it owns the screen; an attempt that hangs is retried (on two busy
    /// cores openbox occasionally never finished starting).
    fn start_window_manager(&mut self) {
        let wm_log = self.runtime.join("openbox.log");
        let mut report = String::new();
        for attempt in 1..=3 {
            let mut wm = Command::new("openbox")
                .arg("--sm-disable")
                .env("DISPLAY", &self.display)
                .env("XDG_RUNTIME_DIR", &self.runtime)
                .stdout(Stdio::null())
                .stderr(File::create(&wm_log).unwrap())
                .spawn()
                .expect("openbox starts");
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(10) {
                // wmctrl answers once a window manager owns the screen.
                if self.tool("wmctrl", &["-m"]).status.success() {
                    self.children.push(wm);
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = wm.kill();
            let status = wm.wait();
            report += &format!(
                "attempt {attempt}: {status:?}, log: {}; ",
                std::fs::read_to_string(&wm_log).unwrap_or_default().trim()
            );
        }
        panic!("openbox did not start on {}: {report}", self.display);
    }

    /// The id of downhill's window once it is mapped.
    pub fn find_window(&self) -> String {
        let started = Instant::now();
        loop {
            let found = self.tool("xdotool", &["search", "--name", "downhill"]);
            if let Some(id) = String::from_utf8_lossy(&found.stdout).lines().next() {
                return id.to_owned();
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "no downhill window appeared"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Runs an X tool (xdotool, wmctrl) on this screen.
    pub fn tool(&self, tool: &str, args: &[&str]) -> std::process::Output {
        Command::new(tool)
            .args(args)
            .env("DISPLAY", &self.display)
            .output()
            .unwrap_or_else(|e| panic!("{tool} runs: {e}"))
    }

    /// Starts downhill on this screen; its log lines arrive on the returned receiver.
    pub fn launch(&self, args: &[&str]) -> Running {
        // A fresh Xvfb once refused the program's first connection though it had answered xdotool a moment
        // before (seen once in a whole run, never alone): a start that fails to open the display at all
        // is tried again, at most twice, and said in the test's output. Any other failure stays a failure.
        for attempt in 1..=3 {
            let mut running = self.spawn(args);
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(1) {
                if running.child.try_wait().unwrap().is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if running.child.try_wait().unwrap().is_some() {
                while let Ok(line) = running.lines.recv_timeout(Duration::from_millis(200)) {
                    running.pending.push_back(line);
                }
                if running
                    .pending
                    .iter()
                    .any(|l| l.contains("XOpenDisplayFailed"))
                    && attempt < 3
                {
                    eprintln!(
                        "downhill could not open {} (attempt {attempt}); starting it again",
                        self.display
                    );
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                }
            }
            return running;
        }
        unreachable!("the last attempt returns")
    }

    fn spawn(&self, args: &[&str]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_downhill"))
            .args(args)
            .env("DISPLAY", &self.display)
            .env_remove("WAYLAND_DISPLAY")
            .env("XDG_RUNTIME_DIR", &self.runtime)
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("downhill starts");
        let stderr = child.stderr.take().unwrap();
        let (send, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Running {
            child,
            lines,
            pending: std::collections::VecDeque::new(),
            log: Vec::new(),
        }
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        for child in self.children.iter_mut().rev() {
            // SIGTERM lets Xvfb remove its lock file and socket; SIGKILL only if that is not enough.
            let _ = Command::new("kill").arg(child.id().to_string()).status();
            let started = Instant::now();
            while child.try_wait().ok().flatten().is_none()
                && started.elapsed() < Duration::from_secs(5)
            {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.runtime);
    }
}

/// A downhill process and the log lines it has written so far.
pub struct Running {
    pub child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    /// Lines read while checking the start, not yet seen by a wait.
    pending: std::collections::VecDeque<String>,
    pub log: Vec<String>,
}

impl Running {
    /// Waits until a log line contains `text` (counting only lines not seen by an earlier wait).
    pub fn wait_for(&mut self, text: &str, timeout: Duration) -> String {
        let started = Instant::now();
        loop {
            let left = timeout.saturating_sub(started.elapsed());
            let next = match self.pending.pop_front() {
                Some(line) => Ok(line),
                None => self.lines.recv_timeout(left.max(Duration::from_millis(1))),
            };
            match next {
                Ok(line) => {
                    self.log.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no log line with \"{text}\" within {timeout:?}; the log:\n{}",
                    self.log.join("\n")
                ),
            }
            if started.elapsed() > timeout {
                panic!(
                    "no log line with \"{text}\" within {timeout:?}; the log:\n{}",
                    self.log.join("\n")
                );
            }
        }
    }

    /// True while the process is still running.
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Waits for the process to end and returns its exit code.
    pub fn exit_code(&mut self, timeout: Duration) -> Option<i32> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(
                started.elapsed() < timeout,
                "downhill did not exit within {timeout:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Loads a PNG saved by downhill's screenshot, at the note's scale.
pub fn load_picture(path: &Path, note: &serde_json::Value) -> Picture {
    let decoder = png::Decoder::new(BufReader::new(File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut rgb = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut rgb).unwrap();
    assert_eq!(
        info.color_type,
        png::ColorType::Rgb,
        "Bevy saves screenshots as RGB"
    );
    rgb.truncate(info.buffer_size());
    Picture {
        width: info.width,
        height: info.height,
        rgb,
        scale: note["scale_factor"].as_f64().unwrap() as f32,
    }
}

/// Where an X window is and how large it is, in the screen's pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

impl Screen {
    /// Where the X server has the window `id` (xdotool getwindowgeometry), or `None` if it cannot say.
    pub fn window_geometry(&self, id: &str) -> Option<Geometry> {
        let out = self.tool("xdotool", &["getwindowgeometry", "--shell", id]);
        if !out.status.success() {
            return None;
        }
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let value = |key: &str| {
            text.lines()
                .find_map(|line| line.strip_prefix(key)?.strip_prefix('='))
                .and_then(|v| v.trim().parse::<i64>().ok())
        };
        Some(Geometry {
            x: value("X")? as i32,
            y: value("Y")? as i32,
            width: value("WIDTH")? as u32,
            height: value("HEIGHT")? as u32,
        })
    }

    /// Waits up to `timeout` for the window `id` to have `wanted`; returns what it had last.
    pub fn wait_for_geometry(
        &self,
        id: &str,
        wanted: Geometry,
        timeout: Duration,
    ) -> Option<Geometry> {
        let started = Instant::now();
        loop {
            let now = self.window_geometry(id);
            if now == Some(wanted) || started.elapsed() > timeout {
                return now;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// What the whole X screen shows now (ImageMagick's `import -window root`), saved at `path`, in the screen's
    /// pixels (scale 1).
    pub fn grab(&self, path: &Path) -> Picture {
        assert!(
            have("import"),
            "import is not installed. Run scripts/test.sh, or apt-get install imagemagick"
        );
        let _ = std::fs::remove_file(path);
        let target = format!("PNG24:{}", path.display());
        let out = self.tool("import", &["-window", "root", "-depth", "8", &target]);
        assert!(
            out.status.success(),
            "import -window root: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut decoder = png::Decoder::new(BufReader::new(File::open(path).unwrap()));
        decoder.set_transformations(png::Transformations::normalize_to_color8());
        let mut reader = decoder.read_info().unwrap();
        let mut data = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut data).unwrap();
        data.truncate(info.buffer_size());
        let channels = match info.color_type {
            png::ColorType::Rgb => 3,
            png::ColorType::Rgba => 4,
            png::ColorType::Grayscale => 1,
            png::ColorType::GrayscaleAlpha => 2,
            other => panic!("unexpected colour type {other:?} in {}", path.display()),
        };
        let rgb = data
            .chunks_exact(channels)
            .flat_map(|p| match channels {
                1 | 2 => [p[0], p[0], p[0]],
                _ => [p[0], p[1], p[2]],
            })
            .collect();
        Picture {
            width: info.width,
            height: info.height,
            rgb,
            scale: 1.0,
        }
    }
}
