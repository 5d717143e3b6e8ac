//! Which language the window speaks: a language button (on the attract screen and in the visitor panel)
//! asks for another, and every sentence follows at once, since each is read from [`LessonText`] as it is
//! drawn. The exhibit's full reset puts its default language back.

use bevy::prelude::*;
use bevy_egui::egui::{self, RichText};

use crate::AppSystems;
use crate::text::{CurrentLanguage, Languages, LessonText};

/// Show the text in the language with this code from now on.
#[derive(Message, Clone, Debug, PartialEq, Eq)]
pub struct SetLanguage(pub String);

/// The languages a language button offers, by code, the default first (the exhibit's `languages`). One or
/// none: no button.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
pub struct LanguageChoices(pub Vec<String>);

pub fn plugin(app: &mut App) {
    app.add_message::<SetLanguage>()
        .init_resource::<CurrentLanguage>()
        .init_resource::<LanguageChoices>()
        .add_systems(
            Update,
            switch_language
                .after(AppSystems::RecordInput)
                .before(AppSystems::Simulate),
        );
}

/// Puts the asked-for language's text in place; a code with no file is said in the log and changes nothing.
fn switch_language(
    mut asked: MessageReader<SetLanguage>,
    languages: Option<Res<Languages>>,
    mut current: ResMut<CurrentLanguage>,
    mut lesson: Option<ResMut<LessonText>>,
) {
    for SetLanguage(code) in asked.read() {
        if current.0 == *code {
            continue;
        }
        match languages.as_deref().and_then(|l| l.get(code)) {
            Some(text) => {
                if let Some(lesson) = lesson.as_deref_mut() {
                    *lesson = text.clone();
                }
                current.0 = code.clone();
                info!("language: now {code} ({})", text.name);
            }
            None => warn!("language: there is no language '{code}'; the text stays as it is"),
        }
    }
}

/// One button per language of `choices`, each named in its own words ("English", "Español"), the current
/// one drawn selected; `height` is each button's height in points. Returns the code pressed, if another.
pub fn language_buttons(
    ui: &mut egui::Ui,
    languages: &Languages,
    choices: &[String],
    current: &str,
    height: f32,
) -> Option<String> {
    let pal = crate::theme::palette_of(ui.ctx());
    let mut asked = None;
    ui.horizontal(|ui| {
        for code in choices {
            let Some(text) = languages.get(code) else {
                continue;
            };
            let selected = code == current;
            let label = RichText::new(&text.name).size(18.0).color(if selected {
                pal.background.egui()
            } else {
                pal.text.egui()
            });
            let mut button = egui::Button::new(label).min_size(egui::vec2(0.0, height));
            if selected {
                button = button.fill(pal.text.egui());
            }
            if ui.add(button).clicked() && !selected {
                asked = Some(code.clone());
            }
        }
    });
    asked
}
