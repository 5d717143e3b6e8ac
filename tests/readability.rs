//! The words a visitor reads must suit a ten-year-old: the New Dale-Chall readability score of the exhibit's
//! attract captions (and the visitor panel's labels) is at most 5.9, which Dale and Chall read as grades 5-6.
//!
//! How a text is scored (a script that checks a draft must follow the same rules):
//! - Tokens are split at whitespace, em dashes, en dashes and slashes; curly apostrophes become '.
//! - A token is lowercased and loses every leading and trailing character that is not a letter or a digit;
//!   what is left, if anything, is one word. The list's own entries are cleaned the same way ("mr." is "mr").
//! - A word is familiar if it is on the Dale-Chall list of 3,000 familiar words; or it is a number (digits,
//!   with . or , only between digits: 2, 0.1, 1,000); or, after taking off one ending, its stem (two
//!   letters or more) is on the list. The endings: the possessive 's; the plural -s, -es and -ies (for y);
//!   -ed, -d, -ied (for y) and a doubled consonant before -ed (stopped); -ing, -ing for a dropped e
//!   (moving) and a doubled consonant before -ing; -er, -r, -ier (for y) and a doubled consonant before -er
//!   (bigger); -est, -st, -iest (for y) and a doubled consonant before -est; -ly and -ily (for y). The
//!   apostrophe of a plural's possessive (balls') is trailing punctuation, so that word is a plural.
//!   Only one ending comes off. A hyphenated word is one word, familiar only if the list has it whole.
//!   Nothing else is familiar: no compounds ("downhill"), no single letters but "a" and "i" (on the list).
//! - A sentence ends at a token whose trailing punctuation holds . ! or ?, once a word has come since the
//!   last end (so 0.1 ends nothing, and "Stop!?" ends one); words after the last end make one more
//!   sentence, so a text with no end at all is one sentence.
//! - Several strings are one text joined by spaces; a string that does not end a sentence (a label such as
//!   "Play") gets a full stop first, so each label is its own sentence. A placeholder such as {distance} is
//!   read as the number the program puts there.
//! - raw = 0.1579 * (difficult words / words * 100) + 0.0496 * (words / sentences), plus 3.6365 when more
//!   than 5 in every 100 words are difficult.

use std::collections::HashSet;

/// The Dale-Chall list, one word a line; lines starting with # are comments.
const FAMILIAR_WORDS: &str = include_str!("data/dale-chall-familiar-words.txt");

/// Every sentence downhill shows in English.
const ENGLISH: &str = include_str!("../assets/lang/en.toml");

/// Dale-Chall 5.0 to 5.9: grades 5 and 6, a ten-year-old.
const GRADES_FIVE_TO_SIX: f64 = 5.9;

/// One caption alone may be a little harder than all of them together, but not grades 7-8 and beyond.
const ONE_CAPTION_AT_MOST: f64 = 6.9;

/// The words a reader knows.
struct Familiar {
    words: HashSet<String>,
}

impl Familiar {
    /// The Dale-Chall list of 3,000 familiar words.
    fn dale_chall() -> Self {
        Self::from_lines(FAMILIAR_WORDS)
    }

    fn from_lines(lines: &str) -> Self {
        let words = lines
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(clean)
            .filter(|word| !word.is_empty())
            .collect();
        Self { words }
    }

    /// Whether a cleaned word (see `clean`) is familiar: on the list, a number, or a listed word with one
    /// regular ending.
    fn knows(&self, word: &str) -> bool {
        self.words.contains(word)
            || is_number(word)
            || stems(word).iter().any(|stem| self.words.contains(stem))
    }
}

/// A token lowercased, without the punctuation before and after it: "Ball's," is "ball's".
fn clean(token: &str) -> String {
    token
        .to_lowercase()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string()
}

/// The punctuation at the end of a token: "bottom." ends with ".", "0.1" with nothing.
fn trailing(token: &str) -> &str {
    let kept = token.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
    &token[kept..]
}

/// Whether a token closes its sentence.
fn ends_sentence(token: &str) -> bool {
    trailing(token).contains(['.', '!', '?'])
}

/// Digits, with . or , only between digits: 2, 0.1, 1,000.
fn is_number(word: &str) -> bool {
    let digits = word.strip_prefix(['+', '-']).unwrap_or(word);
    !digits.is_empty()
        && digits
            .split(['.', ','])
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// The stem without its last letter when that letter is a doubled consonant: "stopp" is "stop".
fn undoubled(stem: &str) -> Option<String> {
    let mut letters = stem.chars().rev();
    let last = letters.next()?;
    let before = letters.next()?;
    if last == before && last.is_alphabetic() && !"aeiou".contains(last) {
        Some(stem[..stem.len() - last.len_utf8()].to_string())
    } else {
        None
    }
}

/// Every word this one could be with one regular ending taken off (the endings in the file's header).
fn stems(word: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut add = |stem: String| {
        if stem.chars().count() >= 2 {
            found.push(stem);
        }
    };
    if let Some(stem) = word.strip_suffix("'s") {
        add(stem.to_string());
    }
    if let Some(stem) = word.strip_suffix('s') {
        add(stem.to_string());
    }
    if let Some(stem) = word.strip_suffix("es") {
        add(stem.to_string());
    }
    if let Some(stem) = word.strip_suffix("ies") {
        add(format!("{stem}y"));
    }
    if let Some(stem) = word.strip_suffix('d') {
        add(stem.to_string());
    }
    if let Some(stem) = word.strip_suffix("ed") {
        add(stem.to_string());
        if let Some(single) = undoubled(stem) {
            add(single);
        }
    }
    if let Some(stem) = word.strip_suffix("ied") {
        add(format!("{stem}y"));
    }
    if let Some(stem) = word.strip_suffix("ing") {
        add(stem.to_string());
        add(format!("{stem}e"));
        if let Some(single) = undoubled(stem) {
            add(single);
        }
    }
    if let Some(stem) = word.strip_suffix('r') {
        add(stem.to_string());
    }
    if let Some(stem) = word.strip_suffix("er") {
        add(stem.to_string());
        if let Some(single) = undoubled(stem) {
            add(single);
        }
    }
    if let Some(stem) = word.strip_suffix("ier") {
        add(format!("{stem}y"));
    }
    if let Some(stem) = word.strip_suffix("st") {
        add(stem.to_string());
    }
    if let Some(stem) = word.strip_suffix("est") {
        add(stem.to_string());
        if let Some(single) = undoubled(stem) {
            add(single);
        }
    }
    if let Some(stem) = word.strip_suffix("iest") {
        add(format!("{stem}y"));
    }
    if let Some(stem) = word.strip_suffix("ly") {
        add(stem.to_string());
    }
    if let Some(stem) = word.strip_suffix("ily") {
        add(format!("{stem}y"));
    }
    found
}

/// What the formula needs from a text.
#[derive(Debug)]
struct Reading {
    words: usize,
    sentences: usize,
    /// Each difficult word as it was counted, in order, repeats and all.
    difficult: Vec<String>,
}

impl Reading {
    fn percent_difficult(&self) -> f64 {
        if self.words == 0 {
            return 0.0;
        }
        self.difficult.len() as f64 / self.words as f64 * 100.0
    }

    /// The New Dale-Chall raw score.
    fn score(&self) -> f64 {
        if self.words == 0 {
            return 0.0;
        }
        let percent = self.percent_difficult();
        let mut score = 0.1579 * percent + 0.0496 * (self.words as f64 / self.sentences as f64);
        if percent > 5.0 {
            score += 3.6365;
        }
        score
    }

    fn summary(&self) -> String {
        format!(
            "score {:.2}, {} words, {} sentences, {} difficult ({:.1}%): {}",
            self.score(),
            self.words,
            self.sentences,
            self.difficult.len(),
            self.percent_difficult(),
            self.difficult.join(" ")
        )
    }
}

/// Counts the words, the sentences and the difficult words of a text.
fn read(text: &str, familiar: &Familiar) -> Reading {
    let text = text.replace(['\u{2019}', '\u{2018}'], "'");
    let mut reading = Reading {
        words: 0,
        sentences: 0,
        difficult: Vec::new(),
    };
    let mut in_sentence = false;
    let tokens = text
        .split(|c: char| c.is_whitespace() || c == '\u{2014}' || c == '\u{2013}' || c == '/')
        .filter(|token| !token.is_empty());
    for token in tokens {
        let word = clean(token);
        if !word.is_empty() {
            reading.words += 1;
            in_sentence = true;
            if !familiar.knows(&word) {
                reading.difficult.push(word);
            }
        }
        if in_sentence && ends_sentence(token) {
            reading.sentences += 1;
            in_sentence = false;
        }
    }
    if in_sentence {
        reading.sentences += 1;
    }
    reading
}

/// Every {placeholder} read as the number the program writes there.
fn fill_placeholders(text: &str) -> String {
    let mut filled = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(length) = rest[open..].find('}') else {
            break;
        };
        filled.push_str(&rest[..open]);
        filled.push('2');
        rest = &rest[open + length + 1..];
    }
    filled.push_str(rest);
    filled
}

/// Strings as one text: each one that does not end a sentence gets a full stop.
fn as_one_text<'a>(strings: impl IntoIterator<Item = &'a str>) -> String {
    strings
        .into_iter()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(|text| {
            if ends_sentence(text) {
                text.to_string()
            } else {
                format!("{text}.")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every string in a value, with the key it is under.
fn collect_strings(key: &str, value: &toml::Value, into: &mut Vec<(String, String)>) {
    match value {
        toml::Value::String(text) => into.push((key.to_string(), fill_placeholders(text))),
        toml::Value::Array(items) => {
            for item in items {
                collect_strings(key, item, into);
            }
        }
        toml::Value::Table(table) => {
            for (inner, item) in table {
                collect_strings(&format!("{key}.{inner}"), item, into);
            }
        }
        _ => {}
    }
}

/// Every string value of one table of assets/lang/en.toml, by key.
fn english_table(name: &str) -> Vec<(String, String)> {
    let document: toml::Value =
        toml::from_str(ENGLISH).expect("assets/lang/en.toml is not valid TOML");
    let table = document
        .get(name)
        .and_then(toml::Value::as_table)
        .unwrap_or_else(|| panic!("assets/lang/en.toml has no [{name}] table"));
    let mut strings = Vec::new();
    for (key, value) in table {
        collect_strings(key, value, &mut strings);
    }
    assert!(
        !strings.is_empty(),
        "[{name}] in assets/lang/en.toml holds no sentence"
    );
    strings
}

/// Scores a table's strings together, prints what it counted, and fails above `at_most`.
fn assert_table_reads_at_most(name: &str, at_most: f64) {
    let strings = english_table(name);
    let text = as_one_text(strings.iter().map(|(_, text)| text.as_str()));
    let reading = read(&text, &Familiar::dale_chall());
    println!("[{name}] all together: {}", reading.summary());
    assert!(
        reading.score() <= at_most,
        "[{name}] reads above Dale-Chall {at_most}: {}",
        reading.summary()
    );
}

fn assert_close(found: f64, expected: f64) {
    assert!(
        (found - expected).abs() < 1e-9,
        "scored {found}, worked out by hand {expected}"
    );
}

#[test]
fn the_word_list_holds_the_three_thousand_familiar_words() {
    let familiar = Familiar::dale_chall();
    let count = familiar.words.len();
    assert!((2900..=3100).contains(&count), "the list has {count} words");
    for word in [
        "a", "ball", "hill", "steep", "bottom", "step", "don't", "mr",
    ] {
        assert!(
            familiar.words.contains(word),
            "{word} is missing from the list"
        );
    }
    for word in ["slope", "derivative", "gradient", "tangent", "downhill"] {
        assert!(
            !familiar.words.contains(word),
            "{word} should not be on the list"
        );
    }
}

#[test]
fn a_familiar_word_stays_familiar_with_a_regular_ending() {
    let familiar = Familiar::from_lines(
        "# a tiny list\nball\nstep\nbig\neasy\nmove\nstop\nlarge\nfly\nit's\n",
    );
    for word in [
        "Ball", "balls", "ball's", "balls'", "steps", "stepped", "stepping", "bigger", "biggest",
        "easily", "easier", "easiest", "moved", "moving", "mover", "larger", "largest", "largely",
        "stopped", "stopping", "flies", "flied", "it's", "2", "0.1", "1,000",
    ] {
        assert!(familiar.knows(&clean(word)), "{word} should be familiar");
    }
    for word in [
        "slope", "Downhill", "x", "zero", "ballast", "steppe", "mov", "1..2",
    ] {
        assert!(!familiar.knows(&clean(word)), "{word} should be difficult");
    }
}

#[test]
fn punctuation_is_not_part_of_a_word_and_a_sentence_ends_at_a_stop() {
    let familiar = Familiar::from_lines("one\ntwo\nthree\n");
    let reading = read("One, two. \"Three\"? One two three! One", &familiar);
    assert_eq!((reading.words, reading.sentences), (7, 4));
    assert!(reading.difficult.is_empty(), "{:?}", reading.difficult);

    // A decimal point ends nothing; a text with no stop at all is one sentence.
    let reading = read("Step by 0.1 or 1.1 — and then two", &familiar);
    assert_eq!((reading.words, reading.sentences), (8, 1));
    assert_eq!(reading.difficult, ["step", "by", "or", "and", "then"]);

    // A stop standing alone still closes the sentence, but a second one opens none.
    let reading = read("One two ! ? three", &familiar);
    assert_eq!((reading.words, reading.sentences), (3, 2));
}

#[test]
fn the_score_adds_the_share_of_hard_words_to_the_length_of_the_sentences() {
    let familiar = Familiar::dale_chall();

    // 11 words in 2 sentences, none difficult: 0.0496 * 11 / 2.
    let easy = read(
        "The ball rolls down the hill. It stops at the bottom.",
        &familiar,
    );
    assert_eq!(
        (easy.words, easy.sentences, easy.difficult.len()),
        (11, 2, 0)
    );
    assert_close(easy.score(), 0.0496 * 5.5);

    // 5 words, 1 sentence, 2 difficult (40%, above 5): 0.1579 * 40 + 0.0496 * 5 + 3.6365 = 10.2005.
    let hard = read("The derivative is the slope.", &familiar);
    assert_eq!(hard.difficult, ["derivative", "slope"]);
    assert_close(hard.score(), 10.2005);

    // 1 difficult word in 20 is exactly 5%, not above it: 0.1579 * 5 + 0.0496 * 20 = 1.7815.
    let twenty = read(
        "The ball rolls down the hill and stops at the bottom where the slope is flat and it can rest",
        &familiar,
    );
    assert_eq!((twenty.words, twenty.sentences), (20, 1));
    assert_eq!(twenty.difficult, ["slope"]);
    assert_close(twenty.score(), 1.7815);

    // 1 in 19 is above 5%: 0.1579 * 100 / 19 + 0.0496 * 19 + 3.6365.
    let nineteen = read(
        "The ball rolls down the hill and stops at the bottom where the slope is flat and it rests",
        &familiar,
    );
    assert_eq!((nineteen.words, nineteen.difficult.len()), (19, 1));
    assert_close(
        nineteen.score(),
        0.1579 * 100.0 / 19.0 + 0.0496 * 19.0 + 3.6365,
    );
}

#[test]
fn labels_are_sentences_and_placeholders_are_numbers() {
    let text = as_one_text(["Play", "One step", "How big is each step?"]);
    assert_eq!(text, "Play. One step. How big is each step?");
    assert_eq!(
        fill_placeholders("It landed {distance} away from your guess, {streak} in a row."),
        "It landed 2 away from your guess, 2 in a row."
    );
    let reading = read(&text, &Familiar::dale_chall());
    assert_eq!(
        (reading.words, reading.sentences, reading.difficult.len()),
        (8, 3, 0)
    );
}

#[test]
fn the_attract_captions_read_at_grade_five_to_six() {
    assert_table_reads_at_most("attract", GRADES_FIVE_TO_SIX);
}

#[test]
fn no_attract_caption_alone_is_far_harder_than_the_rest() {
    let familiar = Familiar::dale_chall();
    let mut too_hard = Vec::new();
    for (key, caption) in english_table("attract") {
        let reading = read(&caption, &familiar);
        println!("{key}: {}", reading.summary());
        if reading.score() > ONE_CAPTION_AT_MOST {
            too_hard.push(format!("{key}: {}", reading.summary()));
        }
    }
    assert!(
        too_hard.is_empty(),
        "these captions read above Dale-Chall {ONE_CAPTION_AT_MOST} on their own:\n{}",
        too_hard.join("\n")
    );
}

#[test]
fn the_visitor_panel_reads_at_grade_five_to_six() {
    assert_table_reads_at_most("visitor", GRADES_FIVE_TO_SIX);
}
