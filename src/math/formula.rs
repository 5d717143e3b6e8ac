//! Formulas typed by a person: parsed to a small program whose value and exact derivatives come from
//! forward-mode automatic differentiation (truncated Taylor series), never from a finite difference.

use std::fmt;

/// Longest formula accepted, in characters.
pub const MAX_FORMULA_CHARS: usize = 10_000;
/// Deepest nesting of parentheses, powers and functions accepted.
pub const MAX_DEPTH: usize = 200;

/// Why a formula could not be read, and where: `column` counts characters from 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormulaError {
    pub column: usize,
    /// The reason in English, for the command line.
    pub message: String,
    /// Which mistake it is, one of [`ERROR_KEYS`]: the window says it in its language with the template of
    /// that key in the language file's `[formula_errors]`.
    pub key: &'static str,
    /// What fills that template's placeholders, by name.
    pub values: Vec<(&'static str, String)>,
}

/// Every mistake a formula can have: its key, and its English words with the placeholders filled from
/// [`FormulaError::values`] (the language files' `[formula_errors]` say each key in their own words).
pub const ERROR_KEYS: [(&str, &str); 11] = [
    (
        "too_long",
        "the formula is {chars} characters long; at most {max} fit",
    ),
    ("empty", "the formula is empty: type one in x, such as x^2"),
    ("unexpected", "unexpected '{text}' here"),
    ("not_a_number", "'{text}' is not a number"),
    ("bad_character", "'{character}' cannot be used in a formula"),
    ("too_deep", "nested more than {max} levels deep"),
    (
        "ends_too_soon",
        "the formula ends too soon: something is missing here",
    ),
    (
        "unknown_name",
        "unknown name '{name}': use x, pi, e or one of sin cos tan exp ln log sqrt abs tanh sign",
    ),
    (
        "needs_parentheses",
        "'{name}' needs parentheses: {function}(x)",
    ),
    ("cannot_start", "'{symbol}' cannot start a term here"),
    ("never_closed", "the '(' at column {opened} is never closed"),
];

impl FormulaError {
    /// The mistake `key` (one of [`ERROR_KEYS`]) at `column`, its English message filled from `values`.
    fn new(column: usize, key: &'static str, values: Vec<(&'static str, String)>) -> Self {
        let template = ERROR_KEYS
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(key, |(_, english)| english);
        let message = values
            .iter()
            .fold(template.to_owned(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), value)
            });
        Self {
            column,
            message,
            key,
            values,
        }
    }
}

impl fmt::Display for FormulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for FormulaError {}

/// The functions a formula may call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    Sin,
    Cos,
    Tan,
    Exp,
    Ln,
    Log10,
    Sqrt,
    Abs,
    Tanh,
    /// -1, 0 or 1: the slope of abs, so that d/dx abs(u) can be written as sign(u) u'.
    Sign,
}

impl Function {
    const NAMES: [(&'static str, Function); 10] = [
        ("sin", Function::Sin),
        ("cos", Function::Cos),
        ("tan", Function::Tan),
        ("exp", Function::Exp),
        ("ln", Function::Ln),
        ("log", Function::Log10),
        ("sqrt", Function::Sqrt),
        ("abs", Function::Abs),
        ("tanh", Function::Tanh),
        ("sign", Function::Sign),
    ];

    /// The name a formula calls it by: `log` for the base-10 logarithm.
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|&&(_, f)| f == self)
            .map_or("?", |&(name, _)| name)
    }

    /// f(u), f'(u), f''(u) of the function itself.
    pub(super) fn jet(self, u: f64) -> (f64, f64, f64) {
        match self {
            Function::Sin => (u.sin(), u.cos(), -u.sin()),
            Function::Cos => (u.cos(), -u.sin(), -u.cos()),
            Function::Tan => {
                let t = u.tan();
                let sec2 = 1.0 + t * t;
                (t, sec2, 2.0 * t * sec2)
            }
            Function::Exp => {
                let e = u.exp();
                (e, e, e)
            }
            Function::Ln => (u.ln(), 1.0 / u, -1.0 / (u * u)),
            Function::Log10 => {
                let k = std::f64::consts::LN_10;
                (u.log10(), 1.0 / (u * k), -1.0 / (u * u * k))
            }
            Function::Sqrt => {
                let s = u.sqrt();
                (s, 0.5 / s, -0.25 / (s * u))
            }
            // |u| has no derivative at 0; like torch, use 0 there (a subgradient).
            Function::Abs => (u.abs(), sign(u), 0.0),
            Function::Tanh => {
                let t = u.tanh();
                let d = 1.0 - t * t;
                (t, d, -2.0 * t * d)
            }
            // A jump at 0 has no derivative there; 0 matches the subgradient abs uses.
            Function::Sign => (if u.is_nan() { u } else { sign(u) }, 0.0, 0.0),
        }
    }
}

/// -1, 0 or 1 (0 for NaN too: the slope abs takes where it has none).
fn sign(u: f64) -> f64 {
    if u > 0.0 {
        1.0
    } else if u < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// A value with its first and second derivatives with respect to x.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Jet {
    pub value: f64,
    pub slope: f64,
    pub bend: f64,
}

impl Jet {
    fn constant(value: f64) -> Self {
        Self {
            value,
            slope: 0.0,
            bend: 0.0,
        }
    }

    fn variable(x: f64) -> Self {
        Self {
            value: x,
            slope: 1.0,
            bend: 0.0,
        }
    }

    fn add(self, o: Self) -> Self {
        Self {
            value: self.value + o.value,
            slope: self.slope + o.slope,
            bend: self.bend + o.bend,
        }
    }

    fn sub(self, o: Self) -> Self {
        Self {
            value: self.value - o.value,
            slope: self.slope - o.slope,
            bend: self.bend - o.bend,
        }
    }

    fn mul(self, o: Self) -> Self {
        Self {
            value: self.value * o.value,
            slope: self.slope * o.value + self.value * o.slope,
            bend: self.bend * o.value + 2.0 * self.slope * o.slope + self.value * o.bend,
        }
    }

    fn div(self, o: Self) -> Self {
        let q = self.value / o.value;
        let dq = (self.slope - q * o.slope) / o.value;
        Self {
            value: q,
            slope: dq,
            bend: (self.bend - 2.0 * dq * o.slope - q * o.bend) / o.value,
        }
    }

    fn neg(self) -> Self {
        Self {
            value: -self.value,
            slope: -self.slope,
            bend: -self.bend,
        }
    }

    /// g(self) given g, g', g'' at self's value (the chain rule to second order).
    fn chain(self, (g, dg, ddg): (f64, f64, f64)) -> Self {
        Self {
            value: g,
            slope: dg * self.slope,
            bend: ddg * self.slope * self.slope + dg * self.bend,
        }
    }

    /// self^n for a whole n: exact for negative bases, one `powi` for all three terms.
    fn powi(self, n: i32) -> Self {
        let u = self.value;
        match n {
            0 => Self::constant(1.0),
            1 => self,
            _ => {
                let nf = f64::from(n);
                self.chain((
                    whole_power(u, n),
                    nf * whole_power(u, n - 1),
                    nf * (nf - 1.0) * whole_power(u, n - 2),
                ))
            }
        }
    }

    fn pow(self, o: Self) -> Self {
        if o.slope == 0.0 && o.bend == 0.0 {
            // A constant power: exact for negative bases too (x^2 at x < 0).
            let n = o.value;
            let u = self.value;
            let first = if n == 0.0 { 0.0 } else { n * u.powf(n - 1.0) };
            let second = if n == 0.0 || n == 1.0 {
                0.0
            } else {
                n * (n - 1.0) * u.powf(n - 2.0)
            };
            self.chain((u.powf(n), first, second))
        } else {
            // a^b = exp(b ln a).
            let ln_a = self.chain(Function::Ln.jet(self.value));
            o.mul(ln_a).chain(Function::Exp.jet(o.mul(ln_a).value))
        }
    }
}

/// One step of a formula's stack program; `symbolic` reads the program to write derivatives out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Op {
    Number(f64),
    X,
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    /// A power with a literal whole exponent (x^2, x^-1), the common case, done with `powi`.
    PowInt(i32),
    Neg,
    Call(Function),
}

/// A parsed formula, ready to evaluate: a stack program in postfix order.
#[derive(Clone, Debug, PartialEq)]
pub struct Formula {
    source: String,
    program: Vec<Op>,
    /// How deep the evaluation stack gets.
    max_stack: usize,
    /// True when the formula is a polynomial of degree at most 2, so its third derivative is zero everywhere.
    at_most_quadratic: bool,
    /// The same formula as a plain sum of terms, when it is one: the fast path for value and slope.
    terms: Option<TermSum>,
}

impl Formula {
    /// Read a formula in x: numbers, x, pi, e, + - * / ^, parentheses, unary minus, implicit
    /// multiplication (3x, 2(x+1)), and sin cos tan exp ln log sqrt abs tanh sign (log is base 10).
    pub fn parse(source: &str) -> Result<Self, FormulaError> {
        let chars = source.chars().count();
        if chars > MAX_FORMULA_CHARS {
            return Err(FormulaError::new(
                MAX_FORMULA_CHARS + 1,
                "too_long",
                vec![
                    ("chars", chars.to_string()),
                    ("max", MAX_FORMULA_CHARS.to_string()),
                ],
            ));
        }
        let tokens = tokenize(source)?;
        let mut parser = Parser {
            tokens: &tokens,
            at: 0,
            program: Vec::new(),
            depth: 0,
            end: chars + 1,
        };
        if tokens.is_empty() {
            return Err(FormulaError::new(1, "empty", Vec::new()));
        }
        parser.expression()?;
        if let Some(token) = tokens.get(parser.at) {
            return Err(FormulaError::new(
                token.column,
                "unexpected",
                vec![("text", token.text.clone())],
            ));
        }
        fuse_whole_powers(&mut parser.program);
        let degree = polynomial_degree(&parser.program);
        let max_stack = stack_depth(&parser.program);
        let terms = TermSum::recognise(&parser.program);
        Ok(Self {
            source: source.trim().to_owned(),
            max_stack,
            program: parser.program,
            at_most_quadratic: degree.is_some_and(|d| d <= 2),
            terms,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// The postfix program, for writing the formula's derivative out.
    pub(super) fn program(&self) -> &[Op] {
        &self.program
    }

    /// True when the formula is a polynomial of degree two or less.
    pub fn is_at_most_quadratic(&self) -> bool {
        self.at_most_quadratic
    }

    /// f(x) alone.
    pub fn value(&self, x: f64) -> f64 {
        if let Some(terms) = &self.terms {
            return terms.eval(x).value;
        }
        let mut stack = Stack::<f64>::new(self.max_stack);
        for op in &self.program {
            let v = match *op {
                Op::Number(n) => n,
                Op::X => x,
                Op::Neg => -pop(&mut stack),
                Op::PowInt(n) => whole_power(pop(&mut stack), n),
                Op::Call(f) => f.jet(pop(&mut stack)).0,
                binary => {
                    let b = pop(&mut stack);
                    let a = pop(&mut stack);
                    match binary {
                        Op::Add => a + b,
                        Op::Sub => a - b,
                        Op::Mul => a * b,
                        Op::Div => a / b,
                        _ => a.powf(b),
                    }
                }
            };
            stack.push(v);
        }
        stack.pop()
    }

    /// f(x) and f'(x), exact up to rounding: the first-order pass.
    pub fn value_and_slope(&self, x: f64) -> (f64, f64) {
        let top = match &self.terms {
            Some(terms) => terms.eval(x),
            None => self.value_and_slope_by_stack(x),
        };
        (top.value, top.slope)
    }

    /// The general first-order pass, on the stack machine.
    fn value_and_slope_by_stack(&self, x: f64) -> Dual {
        let mut stack = Stack::<Dual>::new(self.max_stack);
        for &op in &self.program {
            let v = Dual::apply(op, &mut stack, x);
            stack.push(v);
        }
        stack.pop()
    }

    /// f(x), f'(x) and f''(x), exact up to rounding.
    pub fn jet(&self, x: f64) -> Jet {
        let mut stack = Stack::<Jet>::new(self.max_stack);
        for op in &self.program {
            let v = match *op {
                Op::Number(n) => Jet::constant(n),
                Op::X => Jet::variable(x),
                Op::Neg => pop_jet(&mut stack).neg(),
                Op::PowInt(n) => pop_jet(&mut stack).powi(n),
                Op::Call(f) => {
                    let u = pop_jet(&mut stack);
                    u.chain(f.jet(u.value))
                }
                binary => {
                    let b = pop_jet(&mut stack);
                    let a = pop_jet(&mut stack);
                    match binary {
                        Op::Add => a.add(b),
                        Op::Sub => a.sub(b),
                        Op::Mul => a.mul(b),
                        Op::Div => a.div(b),
                        _ => a.pow(b),
                    }
                }
            };
            stack.push(v);
        }
        stack.pop()
    }
}

/// A value and its first derivative: the cheaper pass when the bend is not needed (every descent step).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Dual {
    value: f64,
    slope: f64,
}

impl Dual {
    #[inline(always)]
    fn constant(value: f64) -> Self {
        Self { value, slope: 0.0 }
    }

    #[inline(always)]
    fn variable(x: f64) -> Self {
        Self {
            value: x,
            slope: 1.0,
        }
    }

    #[inline(always)]
    fn add(self, o: Self) -> Self {
        Self {
            value: self.value + o.value,
            slope: self.slope + o.slope,
        }
    }

    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        Self {
            value: self.value - o.value,
            slope: self.slope - o.slope,
        }
    }

    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        Self {
            value: self.value * o.value,
            slope: self.slope * o.value + self.value * o.slope,
        }
    }

    #[inline(always)]
    fn neg(self) -> Self {
        Self {
            value: -self.value,
            slope: -self.slope,
        }
    }

    #[inline(always)]
    fn powi(self, n: i32) -> Self {
        match n {
            0 => Self::constant(1.0),
            1 => self,
            _ => Self {
                value: whole_power(self.value, n),
                slope: f64::from(n) * whole_power(self.value, n - 1) * self.slope,
            },
        }
    }

    fn apply(op: Op, stack: &mut Stack<Dual>, x: f64) -> Dual {
        match op {
            Op::Number(n) => Dual::constant(n),
            Op::X => Dual::variable(x),
            Op::Neg => stack.pop().neg(),
            Op::PowInt(n) => stack.pop().powi(n),
            Op::Call(f) => {
                let a = stack.pop();
                let (g, dg, _) = f.jet(a.value);
                Dual {
                    value: g,
                    slope: dg * a.slope,
                }
            }
            binary => {
                let b = stack.pop();
                let a = stack.pop();
                match binary {
                    Op::Add => a.add(b),
                    Op::Sub => a.sub(b),
                    Op::Mul => a.mul(b),
                    Op::Div => {
                        let q = a.value / b.value;
                        Dual {
                            value: q,
                            slope: (a.slope - q * b.slope) / b.value,
                        }
                    }
                    _ => {
                        let lift = |d: Dual| Jet {
                            value: d.value,
                            slope: d.slope,
                            bend: 0.0,
                        };
                        let jet = lift(a).pow(lift(b));
                        Dual {
                            value: jet.value,
                            slope: jet.slope,
                        }
                    }
                }
            }
        }
    }
}

/// u^n for a whole n by repeated squaring, written out so that every path (value, slope, bend) rounds
/// the same way on every machine: x^2 is x*x, x^3 is x*(x*x), x^4 is (x*x)*(x*x).
#[inline(always)]
fn whole_power(u: f64, n: i32) -> f64 {
    let mut base = u;
    let mut left = n.unsigned_abs();
    let mut result = 1.0;
    loop {
        if left & 1 == 1 {
            result *= base;
        }
        left >>= 1;
        if left == 0 {
            break;
        }
        base *= base;
    }
    if n < 0 { 1.0 / result } else { result }
}

/// One term of a sum typed term by term, possibly negated.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Term {
    shape: TermShape,
    negated: bool,
}

/// c, x, x^k, c x, c x^k.
#[derive(Clone, Copy, Debug, PartialEq)]
enum TermShape {
    Constant(f64),
    X,
    Power(i32),
    ScaledX(f64),
    ScaledPower(f64, i32),
}

impl Term {
    /// The same arithmetic, step for step, as the stack program it came from.
    #[inline(always)]
    fn eval(self, x: f64) -> Dual {
        let x = Dual::variable(x);
        let d = match self.shape {
            TermShape::Constant(c) => Dual::constant(c),
            TermShape::X => x,
            TermShape::Power(k) => x.powi(k),
            TermShape::ScaledX(c) => Dual::constant(c).mul(x),
            TermShape::ScaledPower(c, k) => Dual::constant(c).mul(x.powi(k)),
        };
        if self.negated { d.neg() } else { d }
    }
}

/// A formula typed as a sum of terms (x^4 - 3x^2 + x, most of what people type): evaluated term by term
/// without the stack machine, with exactly the same operations in the same order, so the same bits.
#[derive(Clone, Debug, PartialEq)]
struct TermSum {
    first: Term,
    rest: Vec<(bool, Term)>,
}

impl TermSum {
    #[inline(always)]
    fn eval(&self, x: f64) -> Dual {
        let mut sum = self.first.eval(x);
        for &(plus, term) in &self.rest {
            let t = term.eval(x);
            sum = if plus { sum.add(t) } else { sum.sub(t) };
        }
        sum
    }

    /// Recognises a program of the form term (+|- term)*, where a term is [-](c | x | x^k | c x | c x^k).
    fn recognise(program: &[Op]) -> Option<Self> {
        let mut terms: Vec<(bool, Term)> = Vec::new();
        let mut i = 0;
        let term_at = |i: &mut usize| -> Option<Term> {
            let power_at = |i: &mut usize| match program.get(*i) {
                Some(&Op::PowInt(k)) => {
                    *i += 1;
                    Some(k)
                }
                _ => None,
            };
            let shape = match *program.get(*i)? {
                Op::Number(c) => {
                    *i += 1;
                    if program.get(*i) == Some(&Op::X) {
                        *i += 1;
                        let shape = match power_at(i) {
                            Some(k) => TermShape::ScaledPower(c, k),
                            None => TermShape::ScaledX(c),
                        };
                        if program.get(*i) != Some(&Op::Mul) {
                            return None;
                        }
                        *i += 1;
                        shape
                    } else {
                        TermShape::Constant(c)
                    }
                }
                Op::X => {
                    *i += 1;
                    match power_at(i) {
                        Some(k) => TermShape::Power(k),
                        None => TermShape::X,
                    }
                }
                _ => return None,
            };
            let negated = program.get(*i) == Some(&Op::Neg);
            if negated {
                *i += 1;
            }
            Some(Term { shape, negated })
        };
        let first = term_at(&mut i)?;
        while i < program.len() {
            let term = term_at(&mut i)?;
            let plus = match program.get(i)? {
                Op::Add => true,
                Op::Sub => false,
                _ => return None,
            };
            i += 1;
            terms.push((plus, term));
        }
        Some(Self { first, rest: terms })
    }
}

/// Folds "a literal, then unary minus" into a negative literal (-2x, x^-1), and replaces "a literal whole
/// number, then ^" by one whole-power step.
fn fuse_whole_powers(program: &mut Vec<Op>) {
    let mut fused = Vec::with_capacity(program.len());
    for &op in program.iter() {
        if op == Op::Neg
            && let Some(&Op::Number(n)) = fused.last()
        {
            fused.pop();
            fused.push(Op::Number(-n));
        } else if op == Op::Pow
            && let Some(&Op::Number(n)) = fused.last()
            && n.fract() == 0.0
            && n.abs() <= 64.0
        {
            fused.pop();
            fused.push(Op::PowInt(n as i32));
        } else {
            fused.push(op);
        }
    }
    *program = fused;
}

/// The evaluation stack: on the call stack for the usual small formulas, so evaluating allocates nothing,
/// and only as large as the formula needs, so starting it costs next to nothing.
enum Stack<T> {
    Tiny(Fixed<T, TINY_STACK>),
    Small(Fixed<T, SMALL_STACK>),
    Large(Vec<T>),
}

/// Most typed formulas (x^4 - 3x^2 + x needs 3) fit a stack this deep.
const TINY_STACK: usize = 6;

/// A stack in a fixed array.
struct Fixed<T, const N: usize> {
    items: [T; N],
    top: usize,
}

impl<T: Blank, const N: usize> Fixed<T, N> {
    fn new() -> Self {
        Self {
            items: [T::BLANK; N],
            top: 0,
        }
    }

    fn push(&mut self, value: T) {
        if self.top < N {
            self.items[self.top] = value;
            self.top += 1;
        }
    }

    fn pop(&mut self) -> T {
        if self.top == 0 {
            return T::BLANK;
        }
        self.top -= 1;
        self.items[self.top]
    }
}

/// Formulas needing at most this deep a stack (almost all) evaluate without allocating.
const SMALL_STACK: usize = 32;

trait Blank: Copy {
    const BLANK: Self;
}

impl Blank for f64 {
    const BLANK: Self = f64::NAN;
}

impl Blank for Dual {
    const BLANK: Self = Dual {
        value: f64::NAN,
        slope: f64::NAN,
    };
}

impl Blank for Jet {
    const BLANK: Self = Jet {
        value: f64::NAN,
        slope: f64::NAN,
        bend: f64::NAN,
    };
}

impl<T: Blank> Stack<T> {
    fn new(depth: usize) -> Self {
        if depth <= TINY_STACK {
            Stack::Tiny(Fixed::new())
        } else if depth <= SMALL_STACK {
            Stack::Small(Fixed::new())
        } else {
            Stack::Large(Vec::with_capacity(depth))
        }
    }

    fn push(&mut self, value: T) {
        match self {
            Stack::Tiny(fixed) => fixed.push(value),
            Stack::Small(fixed) => fixed.push(value),
            Stack::Large(items) => items.push(value),
        }
    }

    fn pop(&mut self) -> T {
        match self {
            Stack::Tiny(fixed) => fixed.pop(),
            Stack::Small(fixed) => fixed.pop(),
            Stack::Large(items) => items.pop().unwrap_or(T::BLANK),
        }
    }
}

fn pop(stack: &mut Stack<f64>) -> f64 {
    stack.pop()
}

fn pop_jet(stack: &mut Stack<Jet>) -> Jet {
    stack.pop()
}

/// The deepest the evaluation stack gets while running `program`.
fn stack_depth(program: &[Op]) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for op in program {
        match op {
            Op::Number(_) | Op::X => depth += 1,
            Op::Neg | Op::Call(_) | Op::PowInt(_) => {}
            _ => depth = depth.saturating_sub(1),
        }
        deepest = deepest.max(depth);
    }
    deepest
}

/// The degree of the program as a polynomial in x (powers must be literal whole numbers, as people type
/// them: 3x^2), or `None` if it is not a polynomial.
fn polynomial_degree(program: &[Op]) -> Option<u32> {
    let mut stack: Vec<u32> = Vec::new();
    let mut literal: Vec<Option<f64>> = Vec::new();
    for op in program {
        let (d, lit) = match *op {
            Op::Number(n) => (0, Some(n)),
            Op::X => (1, None),
            Op::Neg => (stack.pop()?, literal.pop()?.map(|n| -n)),
            Op::PowInt(n) => {
                let (d, lit) = (stack.pop()?, literal.pop()?);
                let degree = match u32::try_from(n) {
                    Ok(n) => d.checked_mul(n)?,
                    Err(_) if d == 0 => 0,
                    Err(_) => return None,
                };
                (degree, lit.map(|v| v.powi(n)))
            }
            Op::Call(_) => {
                literal.pop()?;
                if stack.pop()? == 0 {
                    (0, None)
                } else {
                    return None;
                }
            }
            binary => {
                let (b, lb) = (stack.pop()?, literal.pop()?);
                let (a, _) = (stack.pop()?, literal.pop()?);
                let d = match binary {
                    Op::Add | Op::Sub => a.max(b),
                    Op::Mul => a.checked_add(b)?,
                    Op::Div if b == 0 => a,
                    Op::Pow if b == 0 => match lb {
                        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= 64.0 => {
                            a.checked_mul(n as u32)?
                        }
                        _ if a == 0 => 0,
                        _ => return None,
                    },
                    _ => return None,
                };
                (d, None)
            }
        };
        stack.push(d);
        literal.push(lit);
    }
    if stack.len() == 1 { stack.pop() } else { None }
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Number(f64),
    Name(String),
    Symbol(char),
}

#[derive(Clone, Debug)]
struct Token {
    kind: Kind,
    text: String,
    column: usize,
}

fn tokenize(source: &str) -> Result<Vec<Token>, FormulaError> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            // An exponent only when digits follow: "2e3" is 2000, "2e" is 2 times e.
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut j = i + 1;
                if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    i = j;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let text: String = chars[start..i].iter().collect();
            let value: f64 = text.parse().map_err(|_| {
                FormulaError::new(column, "not_a_number", vec![("text", text.clone())])
            })?;
            tokens.push(Token {
                kind: Kind::Number(value),
                text,
                column,
            });
        } else if c.is_alphabetic() || c == 'π' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == 'π') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            tokens.push(Token {
                kind: Kind::Name(text.to_lowercase()),
                text,
                column,
            });
        } else if "+-*/^()".contains(c) || c == '×' || c == '·' || c == '−' {
            let symbol = match c {
                '×' | '·' => '*',
                '−' => '-',
                other => other,
            };
            tokens.push(Token {
                kind: Kind::Symbol(symbol),
                text: c.to_string(),
                column,
            });
            i += 1;
        } else {
            return Err(FormulaError::new(
                column,
                "bad_character",
                vec![("character", c.to_string())],
            ));
        }
    }
    Ok(tokens)
}

struct Parser<'a> {
    tokens: &'a [Token],
    at: usize,
    program: Vec<Op>,
    depth: usize,
    end: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn peek_symbol(&self) -> Option<char> {
        match self.peek()?.kind {
            Kind::Symbol(c) => Some(c),
            _ => None,
        }
    }

    fn column(&self) -> usize {
        self.peek().map_or(self.end, |t| t.column)
    }

    fn deeper(&mut self) -> Result<(), FormulaError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(FormulaError::new(
                self.column(),
                "too_deep",
                vec![("max", MAX_DEPTH.to_string())],
            ));
        }
        Ok(())
    }

    fn expression(&mut self) -> Result<(), FormulaError> {
        self.deeper()?;
        self.term()?;
        while let Some(c @ ('+' | '-')) = self.peek_symbol() {
            self.at += 1;
            self.term()?;
            self.program.push(if c == '+' { Op::Add } else { Op::Sub });
        }
        self.depth -= 1;
        Ok(())
    }

    fn term(&mut self) -> Result<(), FormulaError> {
        self.unary()?;
        loop {
            match self.peek_symbol() {
                Some(c @ ('*' | '/')) => {
                    self.at += 1;
                    self.unary()?;
                    self.program.push(if c == '*' { Op::Mul } else { Op::Div });
                }
                // Implicit multiplication: 3x, 2(x + 1), x sin(x).
                Some('(') => {
                    self.power()?;
                    self.program.push(Op::Mul);
                }
                None if matches!(
                    self.peek().map(|t| &t.kind),
                    Some(Kind::Number(_) | Kind::Name(_))
                ) =>
                {
                    self.power()?;
                    self.program.push(Op::Mul);
                }
                _ => return Ok(()),
            }
        }
    }

    fn unary(&mut self) -> Result<(), FormulaError> {
        match self.peek_symbol() {
            Some('-') => {
                self.at += 1;
                self.deeper()?;
                self.unary()?;
                self.depth -= 1;
                self.program.push(Op::Neg);
                Ok(())
            }
            Some('+') => {
                self.at += 1;
                self.deeper()?;
                self.unary()?;
                self.depth -= 1;
                Ok(())
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> Result<(), FormulaError> {
        self.primary()?;
        if self.peek_symbol() == Some('^') {
            self.at += 1;
            self.deeper()?;
            self.unary()?;
            self.depth -= 1;
            self.program.push(Op::Pow);
        }
        Ok(())
    }

    fn primary(&mut self) -> Result<(), FormulaError> {
        let column = self.column();
        let Some(token) = self.peek().cloned() else {
            return Err(FormulaError::new(column, "ends_too_soon", Vec::new()));
        };
        self.at += 1;
        match token.kind {
            Kind::Number(n) => self.program.push(Op::Number(n)),
            Kind::Name(name) => match name.as_str() {
                "x" => self.program.push(Op::X),
                "pi" | "π" => self.program.push(Op::Number(std::f64::consts::PI)),
                "e" => self.program.push(Op::Number(std::f64::consts::E)),
                _ => {
                    let Some(&(_, function)) = Function::NAMES.iter().find(|(n, _)| *n == name)
                    else {
                        return Err(FormulaError::new(
                            column,
                            "unknown_name",
                            vec![("name", token.text.clone())],
                        ));
                    };
                    if self.peek_symbol() != Some('(') {
                        return Err(FormulaError::new(
                            self.column(),
                            "needs_parentheses",
                            vec![("name", token.text.clone()), ("function", name.clone())],
                        ));
                    }
                    self.at += 1;
                    self.expression()?;
                    self.close(column)?;
                    self.program.push(Op::Call(function));
                }
            },
            Kind::Symbol('(') => {
                self.expression()?;
                self.close(column)?;
            }
            Kind::Symbol(c) => {
                return Err(FormulaError::new(
                    column,
                    "cannot_start",
                    vec![("symbol", c.to_string())],
                ));
            }
        }
        Ok(())
    }

    fn close(&mut self, opened_at: usize) -> Result<(), FormulaError> {
        if self.peek_symbol() == Some(')') {
            self.at += 1;
            Ok(())
        } else {
            Err(FormulaError::new(
                self.column(),
                "never_closed",
                vec![("opened", opened_at.to_string())],
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_of_terms_take_the_fast_path_and_give_the_stack_machines_bits() {
        let sums = [
            "x^4 - 3x^2 + x",
            "-2x^3 + 0.5x - 7",
            "x^2",
            "3x",
            "x - x^-1 + 4",
            "1.5 x^5 - x^4 + 2x^2 - 0.1",
        ];
        for source in sums {
            let formula = Formula::parse(source).unwrap();
            assert!(formula.terms.is_some(), "{source} is a sum of terms");
            for i in -400..=400 {
                let x = i as f64 * 0.01 + 0.003;
                let fast = formula.value_and_slope(x);
                let stack = formula.value_and_slope_by_stack(x);
                assert_eq!(fast.0.to_bits(), stack.value.to_bits(), "{source} at {x}");
                assert_eq!(fast.1.to_bits(), stack.slope.to_bits(), "{source} at {x}");
                assert_eq!(
                    formula.value(x).to_bits(),
                    fast.0.to_bits(),
                    "{source} at {x}"
                );
                let jet = formula.jet(x);
                assert_eq!(jet.value.to_bits(), fast.0.to_bits(), "{source} at {x}");
                assert_eq!(jet.slope.to_bits(), fast.1.to_bits(), "{source} at {x}");
            }
        }
        for other in ["sin(x) + x", "x*2", "(x+1)^2", "x^2/3", "2^x"] {
            assert!(Formula::parse(other).unwrap().terms.is_none(), "{other}");
        }
    }

    #[test]
    fn whole_powers_round_like_repeated_squaring() {
        let x = 1.1f64;
        assert_eq!(whole_power(x, 2), x * x);
        assert_eq!(whole_power(x, 3), x * (x * x));
        assert_eq!(whole_power(x, 4), (x * x) * (x * x));
        assert_eq!(whole_power(x, -2), 1.0 / (x * x));
        assert_eq!(whole_power(x, 0), 1.0);
        assert_eq!(whole_power(0.0, -1), f64::INFINITY);
    }

    fn jet(source: &str, x: f64) -> Jet {
        Formula::parse(source)
            .unwrap_or_else(|e| panic!("{source}: {e}"))
            .jet(x)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
    }

    #[test]
    fn derivatives_of_a_dozen_formulas_match_the_ones_worked_out_by_hand() {
        type Case = (&'static str, fn(f64) -> f64, fn(f64) -> f64, fn(f64) -> f64);
        let cases: [Case; 13] = [
            ("x^2", |x| x * x, |x| 2.0 * x, |_| 2.0),
            (
                "x^4 - 3x^2 + x",
                |x| x.powi(4) - 3.0 * x * x + x,
                |x| 4.0 * x.powi(3) - 6.0 * x + 1.0,
                |x| 12.0 * x * x - 6.0,
            ),
            ("sin(x)", f64::sin, f64::cos, |x| -x.sin()),
            (
                "exp(2x)",
                |x| (2.0 * x).exp(),
                |x| 2.0 * (2.0 * x).exp(),
                |x| 4.0 * (2.0 * x).exp(),
            ),
            ("ln(x)", f64::ln, |x| 1.0 / x, |x| -1.0 / (x * x)),
            (
                "log(x)",
                f64::log10,
                |x| 1.0 / (x * std::f64::consts::LN_10),
                |x| -1.0 / (x * x * std::f64::consts::LN_10),
            ),
            (
                "sqrt(x)",
                f64::sqrt,
                |x| 0.5 / x.sqrt(),
                |x| -0.25 * x.powf(-1.5),
            ),
            ("1/x", |x| 1.0 / x, |x| -1.0 / (x * x), |x| 2.0 / x.powi(3)),
            (
                "tanh(x)",
                f64::tanh,
                |x| 1.0 - x.tanh().powi(2),
                |x| -2.0 * x.tanh() * (1.0 - x.tanh().powi(2)),
            ),
            (
                "x*cos(x)",
                |x| x * x.cos(),
                |x| x.cos() - x * x.sin(),
                |x| -2.0 * x.sin() - x * x.cos(),
            ),
            (
                "tan(x)",
                f64::tan,
                |x| 1.0 / x.cos().powi(2),
                |x| 2.0 * x.tan() / x.cos().powi(2),
            ),
            (
                "x^x",
                |x| x.powf(x),
                |x| x.powf(x) * (x.ln() + 1.0),
                |x| x.powf(x) * ((x.ln() + 1.0).powi(2) + 1.0 / x),
            ),
            (
                "abs(x - 1) + e^x",
                |x| (x - 1.0).abs() + x.exp(),
                |x| (x - 1.0).signum() + x.exp(),
                f64::exp,
            ),
        ];
        for (source, f, df, ddf) in cases {
            for x in [0.3, 0.7, 1.6, 2.9] {
                let j = jet(source, x);
                assert!(
                    close(j.value, f(x)),
                    "{source} at {x}: value {} vs {}",
                    j.value,
                    f(x)
                );
                assert!(
                    close(j.slope, df(x)),
                    "{source} at {x}: slope {} vs {}",
                    j.slope,
                    df(x)
                );
                assert!(
                    close(j.bend, ddf(x)),
                    "{source} at {x}: bend {} vs {}",
                    j.bend,
                    ddf(x)
                );
            }
        }
    }

    #[test]
    fn precedence_unary_minus_and_implicit_multiplication_read_as_in_maths() {
        assert_eq!(jet("-x^2", 3.0).value, -9.0);
        assert_eq!(jet("2^3^2", 0.0).value, 512.0);
        assert_eq!(jet("3x^2", 2.0).value, 12.0);
        assert_eq!(jet("2(x+1)", 2.0).value, 6.0);
        assert_eq!(jet("x sin(x)", 1.0).value, 1f64.sin());
        assert_eq!(jet("2^-1", 0.0).value, 0.5);
        assert_eq!(jet("1e-3x", 2.0).value, 0.002);
        assert_eq!(jet("2e", 0.0).value, 2.0 * std::f64::consts::E);
        assert_eq!(jet("pi", 0.0).value, std::f64::consts::PI);
        assert_eq!(
            jet("x^2", -3.0).slope,
            -6.0,
            "negative bases keep an exact derivative"
        );
    }

    #[test]
    fn parse_errors_point_at_the_problem() {
        let cases = [
            ("x +", 4, "ends too soon"),
            ("2 * (x + 1", 11, "never closed"),
            ("sin x", 5, "needs parentheses"),
            ("x $ 2", 3, "cannot be used"),
            ("foo(x)", 1, "unknown name"),
            ("x )", 3, "unexpected ')'"),
            ("", 1, "empty"),
            ("x * * 2", 5, "cannot start"),
        ];
        for (source, column, words) in cases {
            let error = Formula::parse(source).unwrap_err();
            assert_eq!(error.column, column, "{source}: {error}");
            assert!(error.message.contains(words), "{source}: {error}");
        }
    }

    #[test]
    fn every_mistake_has_a_key_and_its_english_words_filled_in() {
        let long = "x+".repeat(6000) + "x";
        let deep = "(".repeat(3000) + "x" + &")".repeat(3000);
        let sources = [
            "x +",
            "2 * (x + 1",
            "sin x",
            "x $ 2",
            "foo(x)",
            "x )",
            "",
            "x * * 2",
            "1.2.3",
            long.as_str(),
            deep.as_str(),
        ];
        let mut seen = std::collections::BTreeSet::new();
        for source in sources {
            let error = Formula::parse(source).unwrap_err();
            assert!(
                ERROR_KEYS.iter().any(|(key, _)| *key == error.key),
                "{}: no key {}",
                &source[..source.len().min(20)],
                error.key
            );
            assert!(!error.message.contains(['{', '}']), "{error}");
            seen.insert(error.key);
        }
        assert_eq!(seen.len(), ERROR_KEYS.len(), "one source per key: {seen:?}");
    }

    #[test]
    fn huge_and_deeply_nested_formulas_are_refused_not_overflowed() {
        let long = "x+".repeat(6000) + "x";
        assert!(
            Formula::parse(&long)
                .unwrap_err()
                .message
                .contains("at most")
        );
        let deep = "(".repeat(3000) + "x" + &")".repeat(3000);
        assert!(
            Formula::parse(&deep)
                .unwrap_err()
                .message
                .contains("nested")
        );
        let minus = "-".repeat(5000) + "x";
        assert!(Formula::parse(&minus).is_err());
        let fine = "(".repeat(50) + "x" + &")".repeat(50);
        assert_eq!(jet(&fine, 2.0).value, 2.0);
    }

    #[test]
    fn sign_is_the_slope_of_abs_and_has_none_of_its_own() {
        for (x, sign) in [(-2.0, -1.0), (0.0, 0.0), (3.0, 1.0)] {
            let j = jet("sign(x)", x);
            assert_eq!((j.value, j.slope, j.bend), (sign, 0.0, 0.0), "sign({x})");
            assert_eq!(jet("abs(x)", x).slope, sign, "abs'({x})");
        }
        assert!(jet("sign(ln(x))", -1.0).value.is_nan());
        assert_eq!(Function::Sign.name(), "sign");
        assert_eq!(Function::Log10.name(), "log");
        assert!(
            Formula::parse("sgn(x)")
                .unwrap_err()
                .message
                .contains("tanh sign")
        );
    }

    #[test]
    fn undefined_points_give_non_finite_numbers_not_panics() {
        assert!(jet("ln(x)", -1.0).value.is_nan());
        assert!(!jet("1/x", 0.0).value.is_finite());
        assert!(jet("sqrt(x)", -4.0).value.is_nan());
    }

    #[test]
    fn polynomials_of_degree_two_are_recognised() {
        for quadratic in ["x^2", "3x^2 - 2x + 1", "(x - 1)^2", "x*x", "5", "-x^2/4"] {
            assert!(
                Formula::parse(quadratic).unwrap().is_at_most_quadratic(),
                "{quadratic}"
            );
        }
        for other in [
            "x^3",
            "x^4 - 3x^2 + x",
            "sin(x)",
            "1/x",
            "x^x",
            "x*x*x",
            "exp(x)",
        ] {
            assert!(
                !Formula::parse(other).unwrap().is_at_most_quadratic(),
                "{other}"
            );
        }
    }
}
