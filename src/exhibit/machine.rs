//! The exhibit's state machine, free of the engine: interactive or attract, the idle and reset timers, the
//! corner taps and the PIN keypad. It is told what happened and answers with what to do.

/// Taps in the corner that open the keypad.
pub const CORNER_TAPS: usize = 5;
/// ... all within this many seconds.
pub const CORNER_TAP_WINDOW: f64 = 3.0;
/// The keypad closes itself after this long untouched.
pub const KEYPAD_SECONDS: f64 = 30.0;
/// Wrong codes before the keypad closes.
pub const KEYPAD_TRIES: u32 = 3;

/// What the exhibit is doing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// A visitor is (or was recently) playing.
    Interactive,
    /// Nobody is there: the scripted scenes play. `scene` indexes the playlist, `elapsed` is its clock.
    Attract { scene: usize, elapsed: f64 },
}

/// A key of the on-screen keypad.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeypadKey {
    Digit(u8),
    Erase,
    Enter,
    Cancel,
}

/// The open keypad: the digits typed so far and what went wrong last.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Keypad {
    pub typed: String,
    pub wrong_tries: u32,
    pub idle: f64,
}

/// What the machine asks the program to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Nobody has touched it for the idle time: start the attract loop at this scene.
    StartAttract {
        scene: usize,
    },
    /// The attract loop moves on to this scene.
    PlayScene {
        scene: usize,
    },
    /// A visitor touched during the attract loop: everything back to defaults, interactive, and this first
    /// touch must not act on anything.
    Wake,
    /// The reset time passed without input: defaults restored, attract from its first scene.
    Reset,
    OpenKeypad,
    CloseKeypad,
    WrongPin,
    /// The right PIN (or the quit keys): leave with success.
    Exit,
}

/// The exhibit's timers and modes.
#[derive(Clone, Debug)]
pub struct Machine {
    pub mode: Mode,
    /// Seconds since the last input.
    pub idle: f64,
    pub keypad: Option<Keypad>,
    idle_seconds: f64,
    reset_seconds: f64,
    scene_seconds: Vec<f64>,
    reset_done: bool,
    clock: f64,
    corner_taps: Vec<f64>,
    pin: String,
}

impl Machine {
    /// A machine that starts in the attract loop (nobody is there when the exhibit is switched on).
    pub fn new(idle_seconds: f64, reset_seconds: f64, scene_seconds: Vec<f64>, pin: &str) -> Self {
        Self {
            mode: Mode::Attract {
                scene: 0,
                elapsed: 0.0,
            },
            idle: 0.0,
            keypad: None,
            idle_seconds,
            reset_seconds,
            scene_seconds: if scene_seconds.is_empty() {
                vec![10.0]
            } else {
                scene_seconds
            },
            reset_done: true,
            clock: 0.0,
            corner_taps: Vec::new(),
            pin: pin.to_owned(),
        }
    }

    /// The effects a fresh machine needs applied once: the first scene.
    pub fn starting_effects(&self) -> Vec<Effect> {
        vec![Effect::StartAttract { scene: 0 }]
    }

    pub fn is_attracting(&self) -> bool {
        matches!(self.mode, Mode::Attract { .. })
    }

    /// Time passes (seconds of real time).
    pub fn tick(&mut self, dt: f64) -> Vec<Effect> {
        let dt = if dt.is_finite() {
            dt.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let mut effects = Vec::new();
        self.clock += dt;
        self.idle += dt;
        if let Some(keypad) = &mut self.keypad {
            keypad.idle += dt;
            if keypad.idle >= KEYPAD_SECONDS {
                self.keypad = None;
                effects.push(Effect::CloseKeypad);
            }
        }
        if !self.reset_done && self.idle >= self.reset_seconds {
            self.reset_done = true;
            if self.keypad.take().is_some() {
                effects.push(Effect::CloseKeypad);
            }
            self.mode = Mode::Attract {
                scene: 0,
                elapsed: 0.0,
            };
            effects.push(Effect::Reset);
            return effects;
        }
        match &mut self.mode {
            Mode::Interactive => {
                if self.idle >= self.idle_seconds && self.keypad.is_none() {
                    self.mode = Mode::Attract {
                        scene: 0,
                        elapsed: 0.0,
                    };
                    effects.push(Effect::StartAttract { scene: 0 });
                }
            }
            Mode::Attract { scene, elapsed } => {
                *elapsed += dt;
                if *elapsed >= self.scene_seconds[*scene] {
                    *scene = (*scene + 1) % self.scene_seconds.len();
                    *elapsed = 0.0;
                    effects.push(Effect::PlayScene { scene: *scene });
                }
            }
        }
        effects
    }

    /// A touch, click or key press.
    pub fn press(&mut self) -> Vec<Effect> {
        self.activity();
        if self.is_attracting() {
            self.mode = Mode::Interactive;
            vec![Effect::Wake]
        } else {
            Vec::new()
        }
    }

    /// Input that is not a press (the mouse moving, a finger sliding, the wheel): someone is there.
    pub fn activity(&mut self) {
        self.idle = 0.0;
        self.reset_done = false;
        if let Some(keypad) = &mut self.keypad {
            keypad.idle = 0.0;
        }
    }

    /// A tap in the top-left corner (it is also a press).
    pub fn corner_tap(&mut self) -> Vec<Effect> {
        let mut effects = self.press();
        let now = self.clock;
        self.corner_taps
            .retain(|&t| now - t <= CORNER_TAP_WINDOW && now >= t);
        self.corner_taps.push(now);
        if self.corner_taps.len() >= CORNER_TAPS && self.keypad.is_none() {
            self.corner_taps.clear();
            self.keypad = Some(Keypad::default());
            effects.push(Effect::OpenKeypad);
        }
        effects
    }

    /// A key of the on-screen keypad.
    pub fn keypad_key(&mut self, key: KeypadKey) -> Vec<Effect> {
        self.activity();
        let Some(keypad) = &mut self.keypad else {
            return Vec::new();
        };
        match key {
            KeypadKey::Digit(d) if d <= 9 => {
                if keypad.typed.len() < 12 {
                    keypad.typed.push(char::from(b'0' + d));
                }
                Vec::new()
            }
            KeypadKey::Digit(_) => Vec::new(),
            KeypadKey::Erase => {
                keypad.typed.pop();
                Vec::new()
            }
            KeypadKey::Cancel => {
                self.keypad = None;
                vec![Effect::CloseKeypad]
            }
            KeypadKey::Enter => {
                if keypad.typed == self.pin {
                    self.keypad = None;
                    vec![Effect::Exit]
                } else {
                    keypad.typed.clear();
                    keypad.wrong_tries += 1;
                    if keypad.wrong_tries >= KEYPAD_TRIES {
                        self.keypad = None;
                        vec![Effect::WrongPin, Effect::CloseKeypad]
                    } else {
                        vec![Effect::WrongPin]
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine() -> Machine {
        Machine::new(5.0, 20.0, vec![3.0, 4.0], "4096")
    }

    fn run(machine: &mut Machine, seconds: f64) -> Vec<Effect> {
        let mut all = Vec::new();
        for _ in 0..(seconds * 100.0).round() as usize {
            all.extend(machine.tick(0.01));
        }
        all
    }

    #[test]
    fn it_wakes_on_a_press_and_falls_asleep_after_the_idle_time() {
        let mut m = machine();
        assert!(m.is_attracting());
        assert_eq!(m.press(), vec![Effect::Wake]);
        assert_eq!(m.mode, Mode::Interactive);
        assert!(run(&mut m, 4.9).is_empty());
        assert_eq!(run(&mut m, 0.2), vec![Effect::StartAttract { scene: 0 }]);
    }

    #[test]
    fn the_playlist_loops_scene_by_scene() {
        let mut m = machine();
        let effects = run(&mut m, 7.05);
        assert_eq!(
            effects,
            vec![
                Effect::PlayScene { scene: 1 },
                Effect::PlayScene { scene: 0 }
            ]
        );
    }

    #[test]
    fn the_reset_comes_once_per_quiet_spell() {
        let mut m = machine();
        m.press();
        let effects = run(&mut m, 20.5);
        assert_eq!(effects[0], Effect::StartAttract { scene: 0 });
        assert_eq!(effects.last(), Some(&Effect::Reset));
        assert!(
            !run(&mut m, 30.0).contains(&Effect::Reset),
            "reset once, not again"
        );
    }

    #[test]
    fn five_quick_corner_taps_open_the_keypad_and_slow_ones_do_not() {
        let mut m = machine();
        for _ in 0..4 {
            m.corner_tap();
            run(&mut m, 1.0);
        }
        assert!(
            !m.corner_tap().contains(&Effect::OpenKeypad),
            "spread over 4 s"
        );
        let mut opened = false;
        for _ in 0..5 {
            opened |= m.corner_tap().contains(&Effect::OpenKeypad);
            run(&mut m, 0.3);
        }
        assert!(opened && m.keypad.is_some());
    }

    #[test]
    fn the_right_pin_exits_and_wrong_ones_close_the_keypad_after_three_tries() {
        let mut m = machine();
        for _ in 0..5 {
            m.corner_tap();
        }
        for d in [4, 0, 9, 5] {
            m.keypad_key(KeypadKey::Digit(d));
        }
        assert_eq!(m.keypad_key(KeypadKey::Enter), vec![Effect::WrongPin]);
        assert_eq!(m.keypad.as_ref().unwrap().typed, "");
        m.keypad_key(KeypadKey::Enter);
        assert_eq!(
            m.keypad_key(KeypadKey::Enter),
            vec![Effect::WrongPin, Effect::CloseKeypad]
        );
        assert!(m.keypad.is_none());
        for _ in 0..5 {
            m.corner_tap();
        }
        for d in [4, 0, 9, 7] {
            m.keypad_key(KeypadKey::Digit(d));
        }
        m.keypad_key(KeypadKey::Erase);
        m.keypad_key(KeypadKey::Digit(6));
        assert_eq!(m.keypad_key(KeypadKey::Enter), vec![Effect::Exit]);
    }

    #[test]
    fn an_untouched_keypad_closes_itself_and_holds_off_the_attract_loop_until_then() {
        let mut m = machine();
        for _ in 0..5 {
            m.corner_tap();
        }
        let effects = run(&mut m, 19.0);
        assert!(effects.is_empty(), "{effects:?}");
        assert_eq!(m.mode, Mode::Interactive);
        let effects = run(&mut m, 2.0);
        assert!(effects.contains(&Effect::CloseKeypad) && effects.contains(&Effect::Reset));
    }
}
