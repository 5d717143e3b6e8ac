//! How numbers are written on screen: short where space is tight, every digit when asked.

use crate::math::difference::DECADES;

/// A number in at most six significant digits, switching to scientific notation when very large or small.
pub fn format_number(value: f64) -> String {
    format_significant(value, 6)
}

/// A tick number spaced `step` from its neighbours: as [`format_number`] writes it when six significant
/// digits tell neighbours apart, else with as many decimals as the step needs (a zoomed axis reads 1.1999999,
/// 1.2, 1.2000001), trailing zeros removed.
pub fn format_tick(value: f64, step: f64) -> String {
    if !(value.is_finite() && step.is_finite() && step > 0.0) || value == 0.0 {
        return format_number(value);
    }
    let needed = value.abs().log10().floor() - (step.log10() + 1e-9).floor() + 1.0;
    if needed <= 6.0 || value.abs() >= 1e6 {
        return format_number(value);
    }
    let decimals = crate::math::zoom::tick_decimals(step);
    trim_zeros(format!("{value:.decimals$}"))
}

/// A number in at most `digits` significant digits, trailing zeros removed.
pub fn format_significant(value: f64, digits: usize) -> String {
    if value.is_nan() {
        return "not a number".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "infinity" } else { "-infinity" }.to_owned();
    }
    if value == 0.0 {
        return "0".to_owned();
    }
    let digits = digits.max(1);
    let magnitude = value.abs().log10().floor() as i32;
    if (-4..6).contains(&magnitude) {
        let decimals = (digits as i32 - 1 - magnitude).clamp(0, 17) as usize;
        trim_zeros(format!("{value:.decimals$}"))
    } else {
        let text = format!("{:.*e}", digits - 1, value);
        match text.split_once('e') {
            Some((mantissa, exponent)) => format!("{}e{exponent}", trim_zeros(mantissa.to_owned())),
            None => text,
        }
    }
}

/// A number to exactly `decimals` decimals, as scene 2's readouts write them; a value that rounds to zero is
/// written without a minus sign ("0.0000", never "-0.0000").
pub fn format_fixed(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return format_number(value);
    }
    let text = format!("{value:.decimals$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_owned(),
        _ => text,
    }
}

/// [`format_fixed`], with parentheses around a negative number so it can follow a product or a minus sign.
pub fn format_fixed_operand(value: f64, decimals: usize) -> String {
    let text = format_fixed(value, decimals);
    if text.starts_with('-') {
        format!("({text})")
    } else {
        text
    }
}

/// Every digit: Rust's shortest form that reads back as the same f64.
pub fn format_exact(value: f64) -> String {
    if value == 0.0 {
        "0".to_owned()
    } else {
        format!("{value}")
    }
}

/// h as the lesson writes it: 1, 0.1, 0.01, 0.001, then 1e-4 and smaller as powers of ten.
pub fn format_h(h: f64) -> String {
    match DECADES.iter().position(|&d| d == h) {
        Some(k) if k <= 3 => format!("{h}"),
        Some(k) => format!("1e-{k}"),
        None => format_significant(h, 3),
    }
}

/// A number ready to follow a minus sign or a product: negative numbers get parentheses.
pub fn format_operand(value: f64) -> String {
    let text = format_number(value);
    if value < 0.0 {
        format!("({text})")
    } else {
        text
    }
}

fn trim_zeros(text: String) -> String {
    if text.contains('.') {
        let trimmed = text.trim_end_matches('0').trim_end_matches('.');
        if trimmed == "-0" {
            "0".to_owned()
        } else {
            trimmed.to_owned()
        }
    } else {
        text
    }
}

/// Four decimals, as the lesson writes them (-8.0000), and never a minus sign on a zero.
pub fn four(v: f64) -> String {
    format_fixed(v, 4)
}

/// [`four`] for a factor or a term after a sign: a negative number in parentheses, "(-2.0000)".
pub fn four_operand(v: f64) -> String {
    format_fixed_operand(v, 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_numbers_read_naturally() {
        assert_eq!(format_number(0.96), "0.96");
        assert_eq!(format_number(0.9599999999999999), "0.96");
        assert_eq!(format_number(-2.4), "-2.4");
        assert_eq!(format_number(12.0), "12");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(1.30084), "1.30084");
    }

    #[test]
    fn zoomed_ticks_keep_the_digits_that_tell_them_apart() {
        // A window a millionth wide about x = 1.2 (ticks 1e-7 apart, summed in f64).
        let ticks: Vec<String> = (-3..=3)
            .map(|i| format_tick(12_000_000.0 * 1e-7 + i as f64 * 1e-7, 1e-7))
            .collect();
        assert_eq!(
            ticks,
            [
                "1.1999997",
                "1.1999998",
                "1.1999999",
                "1.2",
                "1.2000001",
                "1.2000002",
                "1.2000003"
            ]
        );
        // The whole curve's ticks read as they always did, and small ticks about 0 in powers of ten.
        assert_eq!(format_tick(2.0, 1.0), "2");
        assert_eq!(format_tick(-0.5, 0.5), "-0.5");
        assert_eq!(format_tick(2e-7, 1e-7), "2e-7");
        assert_eq!(format_tick(0.0, 1e-7), "0");
    }

    #[test]
    fn tiny_and_huge_numbers_use_powers_of_ten() {
        assert_eq!(format_number(1.5e-7), "1.5e-7");
        assert_eq!(format_number(2.0e9), "2e9");
        assert_eq!(format_number(f64::INFINITY), "infinity");
    }

    #[test]
    fn h_is_written_like_the_lesson() {
        assert_eq!(format_h(1.0), "1");
        assert_eq!(format_h(0.01), "0.01");
        assert_eq!(format_h(1e-6), "1e-6");
        assert_eq!(format_h(1e-16), "1e-16");
        assert_eq!(format_h(0.25), "0.25");
    }

    #[test]
    fn every_digit_reads_back_exactly() {
        let value = 0.1 + 0.2;
        assert_eq!(format_exact(value).parse::<f64>().unwrap(), value);
        assert_eq!(format_exact(-0.0), "0");
    }

    #[test]
    fn a_zero_never_carries_a_minus_sign() {
        assert_eq!(format_fixed(-0.0, 4), "0.0000");
        assert_eq!(format_fixed(-0.00001, 4), "0.0000");
        assert_eq!(format_fixed(-0.00005, 4), "-0.0001");
        assert_eq!(format_fixed(-2.0, 4), "-2.0000");
        assert_eq!(format_fixed_operand(-2.0, 4), "(-2.0000)");
        assert_eq!(format_fixed_operand(-0.00001, 4), "0.0000");
        assert_eq!(format_fixed_operand(4.0, 4), "4.0000");
    }

    #[test]
    fn negative_operands_get_parentheses() {
        assert_eq!(format_operand(-2.4), "(-2.4)");
        assert_eq!(format_operand(2.4), "2.4");
    }
}
