//! Derivatives written out: a formula's f'(x) as a formula a student recognises, and where f' is undefined.

use std::cmp::Ordering;
use std::fmt;

use super::formula::{Formula, Function, MAX_FORMULA_CHARS, Op};

/// The derivative of a formula, written out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenDerivative {
    /// f'(x) as a formula that `Formula::parse` reads back: `4x^3 - 6x + 1` for `x^4 - 3x^2 + x`.
    pub text: String,
    /// Where f'(x) does not exist because f has a corner, a jump or a vertical tangent there, as
    /// equations such as `x - 1 = 0`, in the order they appear in f. Places where f itself is undefined
    /// (ln of a negative number) are not listed.
    pub undefined: Vec<String>,
}

/// f'(x) written out and simplified, or `None` when it would not fit in a formula (more than
/// `MAX_FORMULA_CHARS` characters, or too large to build quickly: the product rule on a thousand
/// different factors).
pub fn derivative(formula: &Formula) -> Option<WrittenDerivative> {
    let f = simplify(Expr::from_program(formula.program()));
    let mut undefined = Vec::new();
    corners(&f, &mut undefined);
    let mut budget = Budget {
        nodes_left: DERIVATIVE_NODES,
    };
    let slope = match differentiate(&f, &mut budget).ok()? {
        Some(d) => simplify(d),
        None => Expr::Number(0.0),
    };
    // Every two nodes print at least one character; this keeps a hopeless case from being printed.
    if size(&slope) > 2 * MAX_FORMULA_CHARS {
        return None;
    }
    let text = slope.to_string();
    (text.chars().count() <= MAX_FORMULA_CHARS).then_some(WrittenDerivative { text, undefined })
}

/// Nodes the raw derivative may have before simplification: far more than any derivative that prints in
/// `MAX_FORMULA_CHARS`, few enough to build and simplify well within a second.
const DERIVATIVE_NODES: usize = 50_000;

/// Polynomials are expanded only when every power stays within -SPAN..=SPAN ...
const SPAN: i32 = 8;
/// ... and at most this many terms are left: 2(x - 1) is 2x - 2 and (x + 1)^3 is x^3 + 3x^2 + 3x + 1,
/// but 9(x + 1)^8 stays as it is, which reads better than nine binomial terms and, evaluated, does not
/// cancel large terms near x = -1.
const MAX_TERMS: usize = 6;

/// A formula as a tree: sums and products are n-ary, so a - b is a + (-1)b and a / b is a b^-1.
#[derive(Clone, Debug, PartialEq)]
enum Expr {
    Number(f64),
    X,
    Sum(Vec<Expr>),
    /// Simplified, a number comes first (the coefficient), then the power of x, then the other factors.
    Product(Vec<Expr>),
    Power(Box<Expr>, Box<Expr>),
    Call(Function, Box<Expr>),
}

use Expr::{Call, Number, Power, Product, Sum, X};

impl Expr {
    /// Builds the tree without recursion, flattening chains as they come, so that `x+x+...+x` of ten
    /// thousand characters is one wide sum rather than a tree five thousand levels deep.
    fn from_program(program: &[Op]) -> Expr {
        let mut stack: Vec<Expr> = Vec::new();
        for &op in program {
            let e = match op {
                Op::Number(n) => Number(n),
                Op::X => X,
                Op::Neg => product_of(Number(-1.0), pop(&mut stack)),
                Op::PowInt(n) => power(pop(&mut stack), Number(f64::from(n))),
                Op::Call(f) => Call(f, Box::new(pop(&mut stack))),
                binary => {
                    let b = pop(&mut stack);
                    let a = pop(&mut stack);
                    match binary {
                        Op::Add => sum_of(a, b),
                        Op::Sub => sum_of(a, product_of(Number(-1.0), b)),
                        Op::Mul => product_of(a, b),
                        Op::Div => product_of(a, power(b, Number(-1.0))),
                        _ => power(a, b),
                    }
                }
            };
            stack.push(e);
        }
        pop(&mut stack)
    }

    fn is_constant(&self) -> bool {
        match self {
            Number(_) => true,
            X => false,
            Sum(items) | Product(items) => items.iter().all(Expr::is_constant),
            Power(b, p) => b.is_constant() && p.is_constant(),
            Call(_, u) => u.is_constant(),
        }
    }

    /// The exponent k when this is x or x^k with a number k.
    fn x_power(&self) -> Option<f64> {
        match self {
            X => Some(1.0),
            Power(b, p) => match (&**b, &**p) {
                (X, &Number(k)) => Some(k),
                _ => None,
            },
            _ => None,
        }
    }

    /// The degree k > 0 when this is a pure monomial c x^k, which sums list first.
    fn monomial_degree(&self) -> Option<f64> {
        let (_, factors) = coefficient_and_factors(self);
        match factors {
            [only] => only.x_power().filter(|&k| k > 0.0),
            _ => None,
        }
    }
}

fn pop(stack: &mut Vec<Expr>) -> Expr {
    stack.pop().unwrap_or(Number(f64::NAN))
}

fn sum_of(a: Expr, b: Expr) -> Expr {
    let mut terms = match a {
        Sum(terms) => terms,
        a => vec![a],
    };
    match b {
        Sum(more) => terms.extend(more),
        b => terms.push(b),
    }
    Sum(terms)
}

fn product_of(a: Expr, b: Expr) -> Expr {
    let mut factors = match a {
        Product(factors) => factors,
        a => vec![a],
    };
    match b {
        Product(more) => factors.extend(more),
        b => factors.push(b),
    }
    Product(factors)
}

fn power(base: Expr, exponent: Expr) -> Expr {
    Power(Box::new(base), Box::new(exponent))
}

/// The coefficient of a simplified term and its other factors: 3x sin(x) is (3, [x, sin(x)]).
fn coefficient_and_factors(e: &Expr) -> (f64, &[Expr]) {
    match e {
        &Number(n) => (n, &[]),
        Product(factors) => match factors.split_first() {
            Some((&Number(n), rest)) => (n, rest),
            _ => (1.0, factors),
        },
        other => (1.0, std::slice::from_ref(other)),
    }
}

fn size(e: &Expr) -> usize {
    1 + match e {
        Number(_) | X => 0,
        Sum(items) | Product(items) => items.iter().map(size).sum(),
        Power(b, p) => size(b) + size(p),
        Call(_, u) => size(u),
    }
}

/// A total order on trees, so that equal factors and like terms can be found by sorting.
fn order(a: &Expr, b: &Expr) -> Ordering {
    fn rank(e: &Expr) -> u8 {
        match e {
            Number(_) => 0,
            X => 1,
            Power(..) => 2,
            Call(..) => 3,
            Product(_) => 4,
            Sum(_) => 5,
        }
    }
    match (a, b) {
        (Number(m), Number(n)) => m.total_cmp(n),
        (X, X) => Ordering::Equal,
        (Power(b1, p1), Power(b2, p2)) => order(b1, b2).then_with(|| order(p1, p2)),
        (Call(f, u), Call(g, v)) => (*f as u8).cmp(&(*g as u8)).then_with(|| order(u, v)),
        (Product(x), Product(y)) | (Sum(x), Sum(y)) => order_lists(x.iter(), y.iter()),
        _ => rank(a).cmp(&rank(b)),
    }
}

fn order_lists<'a>(
    mut x: impl Iterator<Item = &'a Expr>,
    mut y: impl Iterator<Item = &'a Expr>,
) -> Ordering {
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(a), Some(b)) => match order(a, b) {
                Ordering::Equal => {}
                unequal => return unequal,
            },
        }
    }
}

/// Groups of indices whose keys are equal, each group in index order, the groups in order of their
/// first index: how equal factors and like terms are gathered without losing the order they came in.
fn groups_of_equals<K>(keys: &[K], compare: impl Fn(&K, &K) -> Ordering) -> Vec<Vec<usize>> {
    let mut sorted: Vec<usize> = (0..keys.len()).collect();
    sorted.sort_by(|&i, &j| compare(&keys[i], &keys[j]).then(i.cmp(&j)));
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in sorted {
        match groups.last_mut() {
            Some(group) if compare(&keys[group[0]], &keys[i]) == Ordering::Equal => group.push(i),
            _ => groups.push(vec![i]),
        }
    }
    groups.sort_by_key(|group| group[0]);
    groups
}

/// A sum of numbers that cancel to within rounding (0.1 + 0.2 - 0.3) is zero, not 5.55e-17.
fn without_rounding_noise(total: f64, magnitude: f64) -> f64 {
    if magnitude.is_finite() && total.abs() <= 8.0 * f64::EPSILON * magnitude {
        0.0
    } else {
        total
    }
}

fn is_whole(n: f64) -> bool {
    n.is_finite() && n.fract() == 0.0
}

// ---------------------------------------------------------------------------------------------------
// Simplification: bottom up, each node assuming its children are already simplified.

/// Plain loops rather than iterator chains: unoptimised, each `collect` adds a dozen frames per level of
/// nesting, and formulas nest up to 200 levels.
fn simplify(e: Expr) -> Expr {
    match e {
        Number(n) => Number(n + 0.0),
        X => X,
        Sum(terms) => simplify_sum(simplify_each(terms)),
        Product(factors) => simplify_product(simplify_each(factors)),
        Power(b, p) => match *p {
            Number(n) if is_whole(n) => simplify_raised(*b, n),
            p => simplify_power(simplify(*b), simplify(p)),
        },
        Call(f, u) => simplify_call(f, simplify(*u)),
    }
}

/// e^n for a whole n, the power taken into products and powers before they are simplified: so
/// 1/(x^4 (x - 1)^3) is x^-4 (x - 1)^-3, never 1/(x^7 - 3x^6 + 3x^5 - x^4), and a denominator, printed
/// and read back, stays factored.
fn simplify_raised(e: Expr, n: f64) -> Expr {
    match e {
        Product(factors) => {
            let mut powers = Vec::with_capacity(factors.len());
            for f in factors {
                powers.push(simplify_raised(f, n));
            }
            simplify_product(powers)
        }
        // Only whole m: ((uv)^0.5)^3 is not u^1.5 v^1.5, which is undefined where u, v < 0.
        Power(b, p) => match *p {
            Number(m) if is_whole(m) => simplify_raised(*b, m * n),
            p => simplify_power(simplify(Power(b, Box::new(p))), Number(n)),
        },
        other => simplify_power(simplify(other), Number(n)),
    }
}

fn simplify_each(items: Vec<Expr>) -> Vec<Expr> {
    let mut simplified = Vec::with_capacity(items.len());
    for item in items {
        simplified.push(simplify(item));
    }
    simplified
}

fn simplify_call(f: Function, u: Expr) -> Expr {
    if let Number(c) = u {
        let value = f.jet(c).0;
        // sin(2) stays sin(2), as the student would write it; cos(0) is 1 and abs(-3) is 3.
        let exact = matches!(f, Function::Abs | Function::Sign) || value.fract() == 0.0;
        if value.is_finite() && exact {
            return Number(value + 0.0);
        }
    }
    Call(f, Box::new(u))
}

fn simplify_power(base: Expr, exponent: Expr) -> Expr {
    match (base, exponent) {
        (_, Number(0.0)) => Number(1.0),
        (base, Number(1.0)) => base,
        (Number(b), Number(p)) => {
            let value = b.powf(p);
            // 2^3 and 3^-1 are folded; e^2 and 2^0.5 read better as written.
            if value.is_finite() && (is_whole(p) || is_whole(value)) {
                Number(value + 0.0)
            } else {
                power(Number(b), Number(p))
            }
        }
        (Number(1.0), _) => Number(1.0),
        // (u^a)^n = u^(an) and (uv)^n = u^n v^n hold for whole n; (x^2)^0.5 is |x|, so no further.
        (Power(b, a), Number(n)) if is_whole(n) => {
            let a = match *a {
                Number(a) => Number(a * n),
                a => simplify_product(vec![a, Number(n)]),
            };
            simplify_power(*b, a)
        }
        (Product(factors), Number(n)) if is_whole(n) => simplify_product(
            factors
                .into_iter()
                .map(|f| simplify_power(f, Number(n)))
                .collect(),
        ),
        // (x + 1)^2 is multiplied out only as a factor of a product, once equal factors are gathered,
        // so that (x + 1)^2 (x + 1)^-2 is 1; 2(x + 1) and 3(x + 1)^2, the slopes of powers, are products.
        (base, exponent) => power(base, exponent),
    }
}

/// Where a factor is gathered with its equals: x^2 and x^-1 both have base x.
fn base_and_exponent(e: &Expr) -> (&Expr, Option<&Expr>) {
    match e {
        Power(b, p) => (b, Some(p)),
        other => (other, None),
    }
}

fn simplify_product(factors: Vec<Expr>) -> Expr {
    let mut coefficient = 1.0;
    let mut flat = Vec::with_capacity(factors.len());
    for f in factors {
        absorb_factor(f, &mut coefficient, &mut flat);
    }
    if coefficient == 0.0 {
        return Number(0.0);
    }
    let mut factors = Vec::with_capacity(flat.len());
    for f in gather_powers(flat) {
        absorb_factor(f, &mut coefficient, &mut factors);
    }
    if coefficient == 0.0 {
        return Number(0.0);
    }
    if factors.iter().any(is_compound_polynomial) {
        if let Some(expanded) = expand_polynomial_product(coefficient, &factors) {
            return expanded;
        }
        if let Some(fewer) = multiply_polynomial_sums(coefficient, &factors) {
            return fewer;
        }
    }
    finish_product(coefficient, factors)
}

fn absorb_factor(f: Expr, coefficient: &mut f64, factors: &mut Vec<Expr>) {
    match f {
        Number(n) => *coefficient *= n,
        Product(inner) => {
            for g in inner {
                absorb_factor(g, coefficient, factors);
            }
        }
        other => factors.push(other),
    }
}

/// A sum, or a whole power of one, that is a polynomial: (x + 1), (x^2 - 1)^3.
fn is_compound_polynomial(e: &Expr) -> bool {
    let compound = match e {
        Sum(_) => true,
        Power(b, _) => matches!(**b, Sum(_)),
        _ => false,
    };
    compound && Poly::of(e).is_some()
}

/// x x -> x^2, x^2 x^-1 -> x, e^x e^x -> e^(2x): equal bases whose exponents are like terms, exponents
/// added. e^(e^x) e^x stays as the chain rule wrote it rather than becoming e^(x + e^x).
fn gather_powers(factors: Vec<Expr>) -> Vec<Expr> {
    let groups = {
        let keys: Vec<(&Expr, Option<Vec<&Expr>>)> = factors
            .iter()
            .map(|f| match base_and_exponent(f) {
                (b, Some(Number(_)) | None) => (b, None),
                (b, Some(p)) => {
                    let mut like: Vec<&Expr> = coefficient_and_factors(p).1.iter().collect();
                    like.sort_by(|a, b| order(a, b));
                    (b, Some(like))
                }
            })
            .collect();
        groups_of_equals(&keys, |(a, p), (b, q)| {
            order(a, b).then_with(|| match (p, q) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(p), Some(q)) => order_lists(p.iter().copied(), q.iter().copied()),
            })
        })
    };
    if groups.len() == factors.len() {
        return factors;
    }
    let mut slots: Vec<Option<Expr>> = factors.into_iter().map(Some).collect();
    let mut gathered = Vec::with_capacity(groups.len());
    for group in groups {
        if let [only] = group[..] {
            gathered.extend(slots[only].take());
            continue;
        }
        let mut base = None;
        let mut exponents = Vec::with_capacity(group.len());
        for i in group {
            match slots[i].take() {
                Some(Power(b, p)) => {
                    base.get_or_insert(*b);
                    exponents.push(*p);
                }
                Some(other) => {
                    base.get_or_insert(other);
                    exponents.push(Number(1.0));
                }
                None => {}
            }
        }
        if let Some(base) = base {
            gathered.push(simplify_power(base, simplify_sum(exponents)));
        }
    }
    gathered
}

/// A product of polynomials only, at least one of them a sum: multiplied out when the result is small.
fn expand_polynomial_product(coefficient: f64, factors: &[Expr]) -> Option<Expr> {
    let mut product = Poly::constant(coefficient);
    for f in factors {
        product = product.times(&Poly::of(f)?)?;
    }
    Some(product.to_expr())
}

/// In a product with other factors too, (x + 1)(x - 1) sin(x) -> (x^2 - 1) sin(x).
fn multiply_polynomial_sums(coefficient: f64, factors: &[Expr]) -> Option<Expr> {
    let sums: Vec<usize> = (0..factors.len())
        .filter(|&i| is_compound_polynomial(&factors[i]))
        .collect();
    if sums.len() < 2 {
        return None;
    }
    let mut product = Poly::constant(1.0);
    for &i in &sums {
        product = product.times(&Poly::of(&factors[i])?)?;
    }
    let mut rest: Vec<Expr> = vec![Number(coefficient), product.to_expr()];
    rest.extend(
        (0..factors.len())
            .filter(|i| !sums.contains(i))
            .map(|i| factors[i].clone()),
    );
    // One sum fewer each time, so this ends.
    Some(simplify_product(rest))
}

/// Puts the coefficient first and the power of x second; -(a + b) becomes -a - b so that terms cancel.
fn finish_product(coefficient: f64, mut factors: Vec<Expr>) -> Expr {
    if factors.is_empty() {
        return Number(coefficient);
    }
    if coefficient == -1.0
        && let [Sum(_)] = &factors[..]
        && let Some(Sum(terms)) = factors.pop()
    {
        return simplify_sum(terms.into_iter().map(negate).collect());
    }
    if let Some(i) = factors.iter().position(|f| f.x_power().is_some()) {
        let x_power = factors.remove(i);
        factors.insert(0, x_power);
    }
    if coefficient == 1.0 {
        if factors.len() == 1 {
            return factors.swap_remove(0);
        }
        return Product(factors);
    }
    factors.insert(0, Number(coefficient));
    Product(factors)
}

/// -e of a simplified term, still simplified.
fn negate(e: Expr) -> Expr {
    match e {
        Number(n) => Number(-n),
        Product(mut factors) => match factors.first() {
            Some(&Number(-1.0)) => {
                factors.remove(0);
                if factors.len() == 1 {
                    factors.swap_remove(0)
                } else {
                    Product(factors)
                }
            }
            Some(&Number(n)) => {
                factors[0] = Number(-n);
                Product(factors)
            }
            _ => {
                factors.insert(0, Number(-1.0));
                Product(factors)
            }
        },
        other => Product(vec![Number(-1.0), other]),
    }
}

fn simplify_sum(terms: Vec<Expr>) -> Expr {
    let mut constant = 0.0;
    let mut constant_size = 0.0;
    let mut flat = Vec::with_capacity(terms.len());
    let mut add = |t: Expr, flat: &mut Vec<Expr>| match t {
        Number(n) => {
            constant += n;
            constant_size += n.abs();
        }
        other => flat.push(other),
    };
    for t in terms {
        match t {
            Sum(inner) => {
                for u in inner {
                    add(u, &mut flat);
                }
            }
            other => add(other, &mut flat),
        }
    }
    let constant = without_rounding_noise(constant, constant_size);
    let mut terms = collect_like_terms(flat);
    // Monomials by falling degree, then the rest as they came (a stable sort), then the constant.
    let degree = |t: &Expr| t.monomial_degree().unwrap_or(f64::NEG_INFINITY);
    terms.sort_by(|a, b| degree(b).total_cmp(&degree(a)));
    if constant != 0.0 {
        let leads_with_minus = terms
            .first()
            .is_some_and(|t| coefficient_and_factors(t).0 < 0.0);
        let has_monomials = terms.iter().any(|t| t.monomial_degree().is_some());
        // 1 - tanh(x)^2 and 1 - x^2 rather than -tanh(x)^2 + 1; longer polynomials keep their falling
        // degrees (-2x^3 + x + 5).
        if leads_with_minus && constant > 0.0 && (!has_monomials || terms.len() == 1) {
            terms.insert(0, Number(constant));
        } else {
            terms.push(Number(constant));
        }
    }
    match terms.len() {
        0 => Number(0.0),
        1 => terms.swap_remove(0),
        _ => Sum(terms),
    }
}

/// 3x + 2x -> 5x, sin(x) + 2 sin(x) -> 3 sin(x): terms whose factors agree (in any order) are added.
fn collect_like_terms(terms: Vec<Expr>) -> Vec<Expr> {
    let groups = {
        let keys: Vec<Vec<&Expr>> = terms
            .iter()
            .map(|t| {
                let mut key: Vec<&Expr> = coefficient_and_factors(t).1.iter().collect();
                key.sort_by(|a, b| order(a, b));
                key
            })
            .collect();
        groups_of_equals(&keys, |a, b| {
            order_lists(a.iter().copied(), b.iter().copied())
        })
    };
    if groups.len() == terms.len() {
        return terms;
    }
    let mut slots: Vec<Option<Expr>> = terms.into_iter().map(Some).collect();
    let mut collected = Vec::with_capacity(groups.len());
    for group in groups {
        let mut total = 0.0;
        let mut size = 0.0;
        let mut first = None;
        for &i in &group {
            let Some(term) = slots[i].take() else {
                continue;
            };
            let c = coefficient_and_factors(&term).0;
            total += c;
            size += c.abs();
            first.get_or_insert(term);
        }
        let Some(first) = first else {
            continue;
        };
        if group.len() == 1 {
            collected.push(first);
            continue;
        }
        let total = without_rounding_noise(total, size);
        if total != 0.0 {
            let factors = coefficient_and_factors(&first).1.to_vec();
            // -(sin(x) + 1) comes back as a sum, whose terms belong in this one.
            match finish_product(total, factors) {
                Sum(inner) => collected.extend(inner),
                term => collected.push(term),
            }
        }
    }
    collected
}

/// A polynomial in x with whole powers in -SPAN..=SPAN (1/x counts), for multiplying out small ones.
#[derive(Clone, Copy, Debug)]
struct Poly {
    /// The coefficient of x^k at k + SPAN.
    coefficients: [f64; (2 * SPAN + 1) as usize],
}

impl Poly {
    fn constant(c: f64) -> Self {
        let mut p = Poly {
            coefficients: [0.0; (2 * SPAN + 1) as usize],
        };
        p.coefficients[SPAN as usize] = c;
        p
    }

    fn monomial(c: f64, k: f64) -> Option<Self> {
        if !is_whole(k) || k.abs() > f64::from(SPAN) {
            return None;
        }
        let mut p = Poly::constant(0.0);
        p.coefficients[(k as i32 + SPAN) as usize] = c;
        Some(p)
    }

    /// Reads a simplified polynomial: sums of terms c x^k, each already in that shape, and their whole
    /// powers.
    fn of(e: &Expr) -> Option<Self> {
        match e {
            Power(b, p) if matches!(**b, Sum(_)) => match **p {
                Number(n) if is_whole(n) && n >= 2.0 => Poly::of(b)?.power(n as u32),
                _ => None,
            },
            Sum(terms) => {
                let mut p = Poly::constant(0.0);
                for t in terms {
                    let q = Poly::of_term(t)?;
                    for (a, b) in p.coefficients.iter_mut().zip(q.coefficients) {
                        *a += b;
                    }
                }
                Some(p)
            }
            other => Poly::of_term(other),
        }
    }

    fn of_term(e: &Expr) -> Option<Self> {
        match coefficient_and_factors(e) {
            (c, []) => Some(Poly::constant(c)),
            (c, [f]) => Poly::monomial(c, f.x_power()?),
            _ => None,
        }
    }

    /// True for x^2 + 1 and the like: even powers only, no negative coefficient, a positive constant.
    fn is_positive(&self) -> bool {
        self.coefficients[SPAN as usize] > 0.0
            && self
                .powers()
                .all(|k| k % 2 == 0 && self.coefficients[(k + SPAN) as usize] > 0.0)
    }

    fn powers(&self) -> impl Iterator<Item = i32> + '_ {
        (-SPAN..=SPAN).filter(|&k| self.coefficients[(k + SPAN) as usize] != 0.0)
    }

    /// The product, when its powers stay in range and it has at most MAX_TERMS terms.
    fn times(&self, other: &Poly) -> Option<Poly> {
        let (low, high) = (self.powers().min()?, self.powers().max()?);
        let (other_low, other_high) = (other.powers().min()?, other.powers().max()?);
        if low + other_low < -SPAN || high + other_high > SPAN {
            return None;
        }
        let mut product = Poly::constant(0.0);
        let mut magnitude = Poly::constant(0.0);
        for j in self.powers() {
            for k in other.powers() {
                let a = self.coefficients[(j + SPAN) as usize];
                let b = other.coefficients[(k + SPAN) as usize];
                let at = (j + k + SPAN) as usize;
                product.coefficients[at] += a * b;
                magnitude.coefficients[at] += (a * b).abs();
            }
        }
        for (c, m) in product.coefficients.iter_mut().zip(magnitude.coefficients) {
            *c = without_rounding_noise(*c, m);
        }
        (product.powers().count() <= MAX_TERMS && product.reads_exactly()).then_some(product)
    }

    /// (x + 0.3)^2 is x^2 + 0.6x + 0.09, but (x + e)^3 stays: x^3 + 8.15484548537714x^2 + ... is
    /// unreadable, and its rounded coefficients, cancelling near x = -e, would lose digits.
    fn reads_exactly(&self) -> bool {
        self.coefficients
            .iter()
            .all(|&c| c == 0.0 || significant_digits(c) <= 6 || fraction(c.abs(), false).is_some())
    }

    fn power(&self, n: u32) -> Option<Poly> {
        let (low, high) = (self.powers().min()?, self.powers().max()?);
        // Checked before multiplying, so (x + 1)^50 costs nothing.
        let n_i = i32::try_from(n).ok().filter(|&n| n <= 2 * SPAN)?;
        if low * n_i < -SPAN || high * n_i > SPAN {
            return None;
        }
        let mut result = Poly::constant(1.0);
        for _ in 0..n {
            result = result.times(self)?;
        }
        Some(result)
    }

    fn to_expr(self) -> Expr {
        let terms = (-SPAN..=SPAN)
            .rev()
            .filter_map(|k| {
                let c = self.coefficients[(k + SPAN) as usize];
                (c != 0.0).then(|| match k {
                    0 => Number(c),
                    1 => finish_product(c, vec![X]),
                    k => finish_product(c, vec![power(X, Number(f64::from(k)))]),
                })
            })
            .collect();
        simplify_sum(terms)
    }
}

// ---------------------------------------------------------------------------------------------------
// Differentiation of a simplified tree.

/// The derivative was going to be too large to be worth building.
struct TooLarge;

struct Budget {
    nodes_left: usize,
}

impl Budget {
    fn copy(&mut self, e: &Expr) -> Result<Expr, TooLarge> {
        self.nodes_left = self.nodes_left.checked_sub(size(e)).ok_or(TooLarge)?;
        Ok(e.clone())
    }
}

/// d/dx of e, `None` when it is zero everywhere (e is constant), so that the product rule does not build
/// terms only to throw them away.
///
/// Only this function and the loops over children recurse; the rules are written out in functions of
/// their own, so that the frames kept on the stack per level of nesting stay small even unoptimised (a
/// formula may nest 200 levels deep, and a test thread has 2 MB).
fn differentiate(e: &Expr, budget: &mut Budget) -> Result<Option<Expr>, TooLarge> {
    match e {
        Number(_) => Ok(None),
        X => Ok(Some(Number(1.0))),
        Sum(terms) => {
            let mut slopes = Vec::new();
            for t in terms {
                slopes.extend(differentiate(t, budget)?);
            }
            Ok((!slopes.is_empty()).then_some(Sum(slopes)))
        }
        Product(factors) => {
            let mut slopes = Vec::with_capacity(factors.len());
            for f in factors {
                slopes.push(differentiate(f, budget)?);
            }
            product_rule(factors, slopes, budget)
        }
        Power(u, v) => {
            let du = differentiate(u, budget)?;
            let dv = differentiate(v, budget)?;
            power_rule(e, u, v, du, dv, budget)
        }
        Call(f, u) => match differentiate(u, budget)? {
            Some(du) => chain_rule(*f, u, du, budget),
            None => Ok(None),
        },
    }
}

#[inline(never)]
fn product_rule(
    factors: &[Expr],
    slopes: Vec<Option<Expr>>,
    budget: &mut Budget,
) -> Result<Option<Expr>, TooLarge> {
    let mut terms = Vec::new();
    for (i, slope) in slopes.into_iter().enumerate() {
        let Some(slope) = slope else {
            continue;
        };
        // The slope takes the factor's place: d(sin(x) e^x) = cos(x) e^x + sin(x) e^x.
        let mut slope = Some(slope);
        let mut term = Vec::with_capacity(factors.len());
        for (j, g) in factors.iter().enumerate() {
            match slope.take_if(|_| j == i) {
                Some(slope) => term.push(slope),
                None => term.push(budget.copy(g)?),
            }
        }
        terms.push(Product(term));
    }
    Ok((!terms.is_empty()).then_some(Sum(terms)))
}

#[inline(never)]
fn power_rule(
    e: &Expr,
    u: &Expr,
    v: &Expr,
    du: Option<Expr>,
    dv: Option<Expr>,
    budget: &mut Budget,
) -> Result<Option<Expr>, TooLarge> {
    Ok(match (du, dv) {
        (None, None) => None,
        // v u^(v-1) u'
        (Some(du), None) => {
            let lowered = match *v {
                Number(n) => Number(n - 1.0),
                _ => Sum(vec![budget.copy(v)?, Number(-1.0)]),
            };
            Some(Product(vec![
                budget.copy(v)?,
                power(budget.copy(u)?, lowered),
                du,
            ]))
        }
        // ln(a) a^v v': e^v v' once ln(e) folds to 1.
        (None, Some(dv)) => Some(Product(vec![
            Call(Function::Ln, Box::new(budget.copy(u)?)),
            budget.copy(e)?,
            dv,
        ])),
        // u^v (v' ln(u) + v u'/u)
        (Some(du), Some(dv)) => Some(Product(vec![
            budget.copy(e)?,
            Sum(vec![
                Product(vec![dv, Call(Function::Ln, Box::new(budget.copy(u)?))]),
                Product(vec![
                    budget.copy(v)?,
                    du,
                    power(budget.copy(u)?, Number(-1.0)),
                ]),
            ]),
        ])),
    })
}

/// f'(u) u'.
#[inline(never)]
fn chain_rule(
    f: Function,
    u: &Expr,
    du: Expr,
    budget: &mut Budget,
) -> Result<Option<Expr>, TooLarge> {
    let call = |f: Function, budget: &mut Budget| -> Result<Expr, TooLarge> {
        Ok(Call(f, Box::new(budget.copy(u)?)))
    };
    let outer = match f {
        Function::Sin => call(Function::Cos, budget)?,
        Function::Cos => Product(vec![Number(-1.0), call(Function::Sin, budget)?]),
        Function::Tan => power(call(Function::Cos, budget)?, Number(-2.0)),
        Function::Exp => call(Function::Exp, budget)?,
        Function::Ln => power(budget.copy(u)?, Number(-1.0)),
        Function::Log10 => Product(vec![
            power(Call(Function::Ln, Box::new(Number(10.0))), Number(-1.0)),
            power(budget.copy(u)?, Number(-1.0)),
        ]),
        Function::Sqrt => Product(vec![
            Number(0.5),
            power(call(Function::Sqrt, budget)?, Number(-1.0)),
        ]),
        Function::Abs => call(Function::Sign, budget)?,
        Function::Tanh => Sum(vec![
            Number(1.0),
            Product(vec![
                Number(-1.0),
                power(call(Function::Tanh, budget)?, Number(2.0)),
            ]),
        ]),
        Function::Sign => return Ok(None),
    };
    Ok(Some(Product(vec![outer, du])))
}

/// Corners (abs), jumps (sign) and vertical tangents (sqrt, fractional powers below 1) of a simplified
/// f, each as "u = 0", in the order they appear.
fn corners(e: &Expr, found: &mut Vec<String>) {
    let kink = match e {
        Call(Function::Abs | Function::Sign | Function::Sqrt, u) => Some(&**u),
        Power(u, p) => match **p {
            Number(p) if p > 0.0 && p < 1.0 => Some(&**u),
            _ => None,
        },
        _ => None,
    };
    if let Some(u) =
        kink.filter(|u| !u.is_constant() && !Poly::of(u).is_some_and(|p| p.is_positive()))
    {
        let place = format!("{u} = 0");
        if !found.contains(&place) {
            found.push(place);
        }
    }
    match e {
        Number(_) | X => {}
        Sum(items) | Product(items) => items.iter().for_each(|i| corners(i, found)),
        Power(b, p) => {
            corners(b, found);
            corners(p, found);
        }
        Call(_, u) => corners(u, found),
    }
}

// ---------------------------------------------------------------------------------------------------
// Printing, in the forms the parser reads back.

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&written(self))
    }
}

fn written(e: &Expr) -> String {
    match e {
        Sum(terms) => written_sum(terms),
        other => {
            let (c, factors) = coefficient_and_factors(other);
            let magnitude = written_product(c.abs(), factors);
            if c < 0.0 {
                format!("-{magnitude}")
            } else {
                magnitude
            }
        }
    }
}

fn written_sum(terms: &[Expr]) -> String {
    let mut out = String::new();
    for (i, t) in terms.iter().enumerate() {
        let (c, factors) = coefficient_and_factors(t);
        let sign = match (i, c < 0.0) {
            (0, false) => "",
            (0, true) => "-",
            (_, false) => " + ",
            (_, true) => " - ",
        };
        out.push_str(sign);
        out.push_str(&written_product(c.abs(), factors));
    }
    out
}

/// A piece of a product and whether it is the power of x, which is glued to a coefficient (4x^3).
struct Piece {
    text: String,
    x_power: bool,
}

/// c times the factors, c >= 0: factors with negative exponents go under a `/`, and so does the
/// denominator of a coefficient that reads better as a fraction.
fn written_product(c: f64, factors: &[Expr]) -> String {
    let beside_a_denominator = factors
        .iter()
        .any(|f| matches!(base_and_exponent(f), (_, Some(&Number(p))) if p < 0.0));
    let (coefficient, denominator) = match fraction(c, beside_a_denominator) {
        Some((p, q)) => (p, Some(q)),
        None => (c, None),
    };
    let mut above = Vec::new();
    let mut below = Vec::new();
    if let Some(q) = denominator {
        below.push(Piece {
            text: number_text(q),
            x_power: false,
        });
    }
    for f in factors {
        match base_and_exponent(f) {
            (b, Some(&Number(p))) if p < 0.0 => below.push(Piece {
                text: if p == -1.0 {
                    written_factor(b)
                } else {
                    written_power(b, &Number(-p))
                },
                x_power: b == &X,
            }),
            _ => above.push(Piece {
                text: written_factor(f),
                x_power: f.x_power().is_some(),
            }),
        }
    }
    if coefficient != 1.0 || above.is_empty() {
        above.insert(
            0,
            Piece {
                text: number_text(coefficient),
                x_power: false,
            },
        );
    }
    let mut out = joined(&above);
    if !below.is_empty() {
        out.push('/');
        if below.len() == 1 {
            out.push_str(&below[0].text);
        } else {
            out.push('(');
            out.push_str(&joined(&below));
            out.push(')');
        }
    }
    out
}

/// 4x^3 glued, other factors spaced, and `·` before a factor that starts with a digit (ln(2)·2^x,
/// 3·2^x): the parser would read `3 2^x` right, but a person might see 32^x.
fn joined(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        let after_digit = out.ends_with(|c: char| c.is_ascii_digit() || c == '.');
        if !out.is_empty() {
            if piece
                .text
                .starts_with(|c: char| c.is_ascii_digit() || c == '.')
            {
                out.push('·');
            } else if !(piece.x_power && after_digit) {
                out.push(' ');
            }
        }
        out.push_str(&piece.text);
    }
    out
}

fn written_factor(f: &Expr) -> String {
    match f {
        Sum(_) | Product(_) => format!("({})", written(f)),
        Number(_) => one_token(f),
        X => "x".to_owned(),
        Power(b, p) => written_power(b, p),
        Call(function, u) => format!("{}({})", function.name(), written(u)),
    }
}

fn written_power(base: &Expr, exponent: &Expr) -> String {
    let base = match base {
        X | Call(..) | Number(_) => written_factor(base),
        other => format!("({})", written(other)),
    };
    let exponent = match exponent {
        X | Number(_) => written_factor(exponent),
        other => format!("({})", written(other)),
    };
    format!("{base}^{exponent}")
}

/// A number as the parser reads one token (`2`, `0.5`, `1e-7`, `pi`), else in parentheses: `(-1)`,
/// `(2pi)`, `(1/3)`, so that it can stand as a base or an exponent.
fn one_token(n: &Expr) -> String {
    let text = written(n);
    let plain = text.starts_with(|c: char| c.is_ascii_digit()) && !text.contains(['p', '/']);
    if plain || text == "pi" || text == "e" {
        text
    } else {
        format!("({text})")
    }
}

/// p/q for a coefficient c > 0 that reads better as a fraction: one whose decimal does not end (1/3,
/// 2/3, and 1/3 - 1, which is a rounding away from -2/3), or 1/k beside other factors under the bar
/// (1/(2 sqrt(x)) rather than 0.5/sqrt(x)). Short decimals stay decimals otherwise: 0.2x, not x/5.
fn fraction(c: f64, beside_a_denominator: bool) -> Option<(f64, f64)> {
    if !(c > 0.0 && c.is_finite()) {
        return None;
    }
    if significant_digits(rounded_to_15_digits(c)) > 6 {
        return (2..=1000).map(f64::from).find_map(|q| {
            let p = (c * q).round();
            let near = (p / q - c).abs() <= 2.0 * f64::EPSILON * c;
            ((1.0..=1000.0).contains(&p) && near).then_some((p, q))
        });
    }
    let k = (1.0 / c).round();
    (beside_a_denominator && (2.0..=1000.0).contains(&k) && 1.0 / k == c).then_some((1.0, k))
}

fn rounded_to_15_digits(n: f64) -> f64 {
    if significant_digits(n) > 15 {
        format!("{n:.14e}").parse().unwrap_or(n)
    } else {
        n
    }
}

/// Digits of the shortest decimal that reads back as n: 16 for 1/3, 1 for 0.5.
fn significant_digits(n: f64) -> usize {
    let shortest = format!("{n:e}");
    shortest
        .split('e')
        .next()
        .map_or(0, |m| m.chars().filter(char::is_ascii_digit).count())
}

/// The shortest decimal that reads back as n, at most 15 significant digits (0.3 * 6 is 1.8, not
/// 1.7999999999999998), with pi and e by name and exponents only for very large or small numbers.
fn number_text(n: f64) -> String {
    if n.is_nan() {
        return "(0/0)".to_owned();
    }
    if n.is_infinite() {
        return if n > 0.0 { "(1/0)" } else { "(-1/0)" }.to_owned();
    }
    if n < 0.0 {
        return format!("-{}", number_text(-n));
    }
    if n == std::f64::consts::PI {
        return "pi".to_owned();
    }
    if n == std::f64::consts::E {
        return "e".to_owned();
    }
    let k = (n / std::f64::consts::PI).round();
    if (2.0..=1000.0).contains(&k) && k * std::f64::consts::PI == n {
        return format!("{k}pi");
    }
    let n = rounded_to_15_digits(n);
    if n != 0.0 && !(1e-5..1e15).contains(&n) {
        format!("{n:e}")
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn written_slope(source: &str) -> WrittenDerivative {
        let formula = Formula::parse(source).unwrap_or_else(|e| panic!("{source}: {e}"));
        derivative(&formula).unwrap_or_else(|| panic!("{source}: no derivative written"))
    }

    fn slope_text(source: &str) -> String {
        written_slope(source).text
    }

    /// Every example of the lesson, with the derivative as it must be written.
    const EXAMPLES: [(&str, &str); 26] = [
        ("x^2", "2x"),
        ("x^4 - 3x^2 + x", "4x^3 - 6x + 1"),
        ("x^3", "3x^2"),
        ("25x^2", "50x"),
        ("0.5x^2 - 0.3cos(6x) + 0.3", "x + 1.8 sin(6x)"),
        // The exponent's coefficient is a short decimal, so -0.5x^2 (not -x^2/2).
        ("1 - e^(-x^2/2)", "x e^(-0.5x^2)"),
        ("abs(x)", "sign(x)"),
        ("e^x", "e^x"),
        ("sin(x)", "cos(x)"),
        ("exp(x)", "exp(x)"),
        ("x^3/3", "x^2"),
        ("1/x", "-1/x^2"),
        ("sqrt(x)", "1/(2 sqrt(x))"),
        ("ln(x)", "1/x"),
        ("5", "0"),
        ("x", "1"),
        ("(x^2+1)(x-1)", "3x^2 - 2x + 1"),
        ("(x-1)^2", "2x - 2"),
        ("x sin(x)", "sin(x) + x cos(x)"),
        ("2^x", "ln(2)·2^x"),
        ("tanh(x)", "1 - tanh(x)^2"),
        ("tan(x)", "1/cos(x)^2"),
        ("x^x", "x^x (ln(x) + 1)"),
        ("log(x)", "1/(x ln(10))"),
        ("sqrt(x^2 + 1)", "x/sqrt(x^2 + 1)"),
        ("3x + 2x + sin(x) + 2sin(x)", "3 cos(x) + 5"),
    ];

    #[test]
    fn the_double_wells_slope_is_written_as_a_cubic() {
        assert_eq!(slope_text("x^4 - 3x^2 + x"), "4x^3 - 6x + 1");
    }

    #[test]
    fn every_lesson_formula_has_the_derivative_a_student_would_write() {
        for (source, expected) in EXAMPLES {
            assert_eq!(slope_text(source), expected, "d/dx {source}");
        }
    }

    #[test]
    fn corners_and_vertical_tangents_are_where_the_slope_is_undefined() {
        assert_eq!(written_slope("abs(x)").undefined, ["x = 0"]);
        assert_eq!(
            written_slope("abs(x - 1) + sqrt(x) + 2abs(x - 1)").undefined,
            ["x - 1 = 0", "x = 0"]
        );
        assert_eq!(written_slope("x^(1/3)").undefined, ["x = 0"]);
        assert_eq!(written_slope("sign(x + 2)").undefined, ["x + 2 = 0"]);
        // Where f itself is undefined is not a corner of f.
        assert!(written_slope("ln(x) + 1/x + x^2").undefined.is_empty());
        assert!(written_slope("abs(-2) x + sqrt(2)").undefined.is_empty());
        // x^2 + 1 is never 0.
        assert!(
            written_slope("sqrt(x^2 + 1) + abs(x^4 + 2)")
                .undefined
                .is_empty()
        );
        assert_eq!(written_slope("sqrt(x^2 - 1)").undefined, ["x^2 - 1 = 0"]);
    }

    #[test]
    fn the_slope_of_a_slope_is_the_second_derivative() {
        let cases = [
            ("x^4 - 3x^2 + x", "12x^2 - 6"),
            ("sin(x)", "-sin(x)"),
            ("e^x", "e^x"),
            ("abs(x)", "0"),
            ("x^3/3", "2x"),
            ("1/x", "2/x^3"),
        ];
        for (source, expected) in cases {
            let first = slope_text(source);
            assert_eq!(slope_text(&first), expected, "d/dx d/dx {source}");
        }
    }

    #[test]
    fn numbers_print_as_short_decimals_pi_and_e() {
        assert_eq!(number_text(0.3 * 6.0), "1.8");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(2.5), "2.5");
        assert_eq!(number_text(1e-7), "1e-7");
        assert_eq!(number_text(3e20), "3e20");
        assert_eq!(number_text(123456.0), "123456");
        assert_eq!(number_text(std::f64::consts::PI), "pi");
        assert_eq!(number_text(2.0 * std::f64::consts::PI), "2pi");
        assert_eq!(number_text(std::f64::consts::E), "e");
        assert_eq!(std::f64::consts::E.ln(), 1.0, "so d/dx e^u is e^u u'");
        assert_eq!(slope_text("sin(2pi x)"), "2pi cos(2pi x)");
        assert_eq!(slope_text("0.1x^2"), "0.2x");
        assert_eq!(slope_text("0.25x^2"), "0.5x");
        assert_eq!(slope_text("x/3"), "1/3");
        assert_eq!(slope_text("x^2/3"), "2x/3");
        assert_eq!(slope_text("x^(1/3)"), "1/(3x^(2/3))");
        assert_eq!(slope_text("x^(4/3)"), "4x^(1/3)/3");
        assert_eq!(slope_text("x^2 + 1e-7x"), "2x + 1e-7");
    }

    #[test]
    fn sums_products_and_constants_are_simplified_as_by_hand() {
        let cases = [
            ("x*x", "2x"),
            ("x^2/x", "1"),
            ("-(-x)", "1"),
            ("x + 0*sin(x)", "1"),
            ("(2x)^3", "24x^2"),
            ("sin(x) - (sin(x) + x)", "-1"),
            ("cos(0) x + ln(e) x^2", "2x + 1"),
            ("ln(2) x + sin(2) x", "ln(2) + sin(2)"),
            ("e^x sin(x)", "e^x sin(x) + e^x cos(x)"),
            ("x^2 sin(x)", "2x sin(x) + x^2 cos(x)"),
            ("sin(x)^2", "2 sin(x) cos(x)"),
            ("sin(x) cos(x)", "cos(x)^2 - sin(x)^2"),
            ("(x^2 + 1)/x", "1 - 1/x^2"),
            ("x/(x + 1)", "1/(x + 1) - x/(x + 1)^2"),
            ("exp(2x)", "2 exp(2x)"),
            ("e^(3x)", "3 e^(3x)"),
            ("2^(3x)", "3 ln(2)·2^(3x)"),
            ("x 2^x", "2^x + x ln(2)·2^x"),
            ("tanh(2x)", "2 (1 - tanh(2x)^2)"),
            ("sqrt(3x)", "1.5/sqrt(3x)"),
            ("ln(x^2 + 1)", "2x/(x^2 + 1)"),
            ("abs(x - 1)", "sign(x - 1)"),
            ("x^0.5", "1/(2x^0.5)"),
            ("(x + 1)^-1", "-1/(x + 1)^2"),
            ("(x + 1)^-2 (x + 1)^2 + x", "1"),
            ("(x + 1)(x + 1)(x + 1)", "3x^2 + 6x + 3"),
            ("(x^2 + 1)^2 - x^4", "4x"),
            ("e^x e^x", "2 e^(2x)"),
            ("e^(e^x)", "e^(e^x) e^x"),
            ("x^x x", "x^x + x x^x (ln(x) + 1)"),
            ("1e300x * 1e300", "(1/0)"),
            ("1/(x(x + 1))", "-1/(x^2 (x + 1)) - 1/(x (x + 1)^2)"),
            (
                "1/(x^4 (x - 1)^3)",
                "-4/(x^5 (x - 1)^3) - 3/(x^4 (x - 1)^4)",
            ),
            ("-x^2/2 + x", "1 - x"),
            ("x - x^3/3", "1 - x^2"),
            ("x^2 - x^3/3", "-x^2 + 2x"),
            ("-x^4/2 + x^2 + 5x", "-2x^3 + 2x + 5"),
            ("pi x", "pi"),
            ("e x", "e"),
            ("x^e", "e x^1.71828182845905"),
        ];
        for (source, expected) in cases {
            assert_eq!(slope_text(source), expected, "d/dx {source}");
        }
    }

    #[test]
    fn expansion_is_bounded_to_small_polynomials() {
        assert_eq!(slope_text("(x + 1)^50"), "50 (x + 1)^49");
        assert_eq!(slope_text("(x + 1)^3"), "3x^2 + 6x + 3");
        let text = slope_text("(x + 1)^9");
        assert_eq!(text, "9 (x + 1)^8");
    }

    /// A value of a tree, to find the points where an abs or sign argument is exactly 0.
    fn eval(e: &Expr, x: f64) -> f64 {
        match e {
            &Number(n) => n,
            X => x,
            Sum(terms) => terms.iter().map(|t| eval(t, x)).sum(),
            Product(factors) => factors.iter().map(|f| eval(f, x)).product(),
            Power(b, p) => eval(b, x).powf(eval(p, x)),
            Call(f, u) => f.jet(eval(u, x)).0,
        }
    }

    fn abs_and_sign_arguments<'a>(e: &'a Expr, found: &mut Vec<&'a Expr>) {
        match e {
            Number(_) | X => {}
            Sum(items) | Product(items) => {
                for i in items {
                    abs_and_sign_arguments(i, found);
                }
            }
            Power(b, p) => {
                abs_and_sign_arguments(b, found);
                abs_and_sign_arguments(p, found);
            }
            Call(f, u) => {
                if matches!(f, Function::Abs | Function::Sign) {
                    found.push(u);
                }
                abs_and_sign_arguments(u, found);
            }
        }
    }

    /// The written derivative, read back, agrees with the automatic derivative; returns how many points
    /// were compared.
    fn check_reads_back(source: &str) -> usize {
        let formula = Formula::parse(source).unwrap_or_else(|e| panic!("{source}: {e}"));
        let written =
            derivative(&formula).unwrap_or_else(|| panic!("{source}: no derivative written"));
        let text = &written.text;
        let slope = Formula::parse(text)
            .unwrap_or_else(|e| panic!("d/dx {source} = {text} does not parse: {e}"));
        let tree = Expr::from_program(formula.program());
        let mut kinks = Vec::new();
        abs_and_sign_arguments(&tree, &mut kinks);
        let mut compared = 0;
        for i in 0..50 {
            let x = -3.0 + 6.0 * f64::from(i) / 49.0;
            if kinks.iter().any(|u| eval(u, x) == 0.0) {
                continue;
            }
            let value = formula.value(x);
            let expected = formula.value_and_slope(x).1;
            let got = slope.value(x);
            let finite = value.is_finite() && expected.is_finite() && got.is_finite();
            if !finite || value.abs() > 1e6 || expected.abs() > 1e6 || got.abs() > 1e6 {
                continue;
            }
            let tolerance = 1e-12 * expected.abs().max(got.abs()).max(1.0);
            assert!(
                (expected - got).abs() <= tolerance,
                "d/dx {source} = {text}: at x = {x} it is {got}, the automatic derivative says {expected}"
            );
            compared += 1;
        }
        assert_clean(source, text);
        compared
    }

    fn assert_clean(source: &str, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        let number_char = |i: usize| {
            chars
                .get(i)
                .is_some_and(|c| c.is_ascii_digit() || *c == '.')
        };
        for (i, window) in chars.windows(3).enumerate() {
            let w: String = window.iter().collect();
            assert!(w != "+ -", "d/dx {source} = {text} has '+ -'");
            assert!(w != "- -", "d/dx {source} = {text} has '- -'");
            let ends = !number_char(i + 3);
            assert!(w != "x^1" || !ends, "d/dx {source} = {text} has x^1");
            assert!(w != "+ 0" || !ends, "d/dx {source} = {text} has '+ 0'");
        }
        for (i, window) in chars.windows(2).enumerate() {
            let w: String = window.iter().collect();
            assert!(w != "*1", "d/dx {source} = {text} has *1");
            let starts = i == 0 || !number_char(i - 1);
            assert!(w != "1x" || !starts, "d/dx {source} = {text} has 1x");
        }
        assert!(!text.contains('*'), "d/dx {source} = {text} has a '*'");
    }

    #[test]
    fn every_written_derivative_reads_back_as_the_same_function() {
        for (source, _) in EXAMPLES {
            assert!(check_reads_back(source) > 0, "{source}");
        }
    }

    /// xorshift64*: the same formulas on every run and every machine.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    /// No pi or e among them (they are in the examples, and e in `e^`): products like 0.5 e e are printed
    /// to 15 digits, 3.69452804946532, and beside a double root, as in (0.5x^4 - e x^2 + 0.5 e e)^(1/3)
    /// at x = -1.653, that last digit moves the slope by 3e-11.
    const NUMBERS: [&str; 10] = ["1", "2", "3", "0.5", "1.5", "0.3", "0.2", "5", "2.5", "4"];
    const FUNCTIONS: [&str; 10] = [
        "sin", "cos", "tan", "exp", "ln", "log", "sqrt", "abs", "tanh", "sign",
    ];
    const WHOLE_EXPONENTS: [&str; 5] = ["2", "3", "4", "-1", "-2"];
    const OTHER_EXPONENTS: [&str; 5] = ["0.5", "1.5", "-0.5", "(1/3)", "x"];

    const EXPONENTIAL_ARGUMENTS: [&str; 8] =
        ["x", "-x", "0.5x", "x/2", "-x^2/2", "2x", "x + 1", "sin(x)"];

    /// A random formula of depth at most `depth`, in the forms people type.
    ///
    /// Exponentials only get the small arguments of `EXPONENTIAL_ARGUMENTS`. With any argument, two
    /// ill-conditioned kinds of case came up, both right and both failing at 1e-12: e^(huge constant)
    /// multiplying the automatic derivative's 1e-16 noise for x/x while the written slope is exactly 0,
    /// and tanh(tan(e^(x^2 - e)(x - 0.5))), whose second derivative amplifies the one-ulp difference
    /// between `powf` (how a formula's value takes e^v) and exp(v ln e) (how its derivative does) by 5e4.
    ///
    /// Fractional powers, likewise, only of such small bases: (0.5(x^2 - 5)^2)^(1/3) is simplified with
    /// its square multiplied out, and 0.5x^4 - 5x^2 + 12.5 evaluated 0.03 from its double root rounds
    /// by 3e-13 relative, which ^(-5/3) in the second derivative and its two cancelling terms make 1e-12.
    fn random_formula(rng: &mut Rng, depth: u32) -> String {
        if depth == 0 || rng.below(5) == 0 {
            return if rng.below(2) == 0 {
                "x".to_owned()
            } else {
                rng.pick(&NUMBERS).to_owned()
            };
        }
        let mut sub = || random_formula(rng, depth - 1);
        let (a, b) = (sub(), sub());
        let shallow = rng.pick(&EXPONENTIAL_ARGUMENTS);
        let call = |rng: &mut Rng| match rng.pick(&FUNCTIONS) {
            "exp" => format!("exp({shallow})"),
            f => format!("{f}({a})"),
        };
        match rng.below(10) {
            0 => format!("{a} + {b}"),
            1 => format!("{a} - ({b})"),
            2 => format!("({a})({b})"),
            3 => format!("({a})/({b})"),
            4 if rng.below(2) == 0 => format!("({a})^{}", rng.pick(&WHOLE_EXPONENTS)),
            4 => format!("({shallow})^{}", rng.pick(&OTHER_EXPONENTS)),
            5 => format!("{}^({shallow})", rng.pick(&["2", "e", "0.5"])),
            6 => call(rng),
            7 => format!("{} x {}", rng.pick(&NUMBERS), call(rng)),
            8 => format!("-({a}) + {} x^{}", rng.pick(&NUMBERS), rng.below(5)),
            _ => format!("{}({a}) * {b}", rng.pick(&NUMBERS)),
        }
    }

    #[test]
    fn four_hundred_random_formulas_have_derivatives_that_read_back() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut compared = 0;
        let mut with_points = 0;
        for _ in 0..400 {
            let source = random_formula(&mut rng, 4);
            let points = check_reads_back(&source);
            compared += points;
            with_points += usize::from(points > 0);
        }
        assert!(
            with_points >= 300,
            "only {with_points} formulas were compared anywhere"
        );
        assert!(compared >= 10_000, "only {compared} points were compared");
    }

    /// The second derivative is written from the first, so the first must read back into something the
    /// same rules handle. One level shallower than above: differentiated twice, depth-4 trees reach
    /// cos(2^(x + 1) e^(x + 1)), whose argument is 711 at x = 2.9, and cubic poles, where the written
    /// f'' is a sum of terms of 1e5 that cancel to 17 and round, correctly, 2e-12 away from the AD.
    #[test]
    fn three_hundred_random_slopes_have_slopes_that_read_back() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let mut compared = 0;
        for _ in 0..300 {
            let source = random_formula(&mut rng, 3);
            compared += check_reads_back(&slope_text(&source));
        }
        assert!(compared >= 7_000, "only {compared} points were compared");
    }

    fn quickly(source: &str) -> Option<WrittenDerivative> {
        let formula = Formula::parse(source).unwrap_or_else(|e| panic!("{}: {e}", &source[..40]));
        let start = Instant::now();
        let written = derivative(&formula);
        let took = start.elapsed();
        assert!(
            took < Duration::from_secs(1),
            "{}... took {took:?}",
            &source[..40]
        );
        written
    }

    #[test]
    fn huge_and_deep_formulas_are_written_or_refused_within_a_second() {
        let long_sum = "x+".repeat(4999) + "x";
        assert_eq!(quickly(&long_sum).unwrap().text, "5000");
        let long_product = "x*".repeat(4999) + "x";
        assert_eq!(quickly(&long_product).unwrap().text, "5000x^4999");
        let sines: Vec<String> = (1..900).map(|k| format!("sin({k}x)")).collect();
        let sum_of_sines = sines[..500].join("+");
        let written = quickly(&sum_of_sines).unwrap();
        assert!(written.text.starts_with("cos(x) + 2 cos(2x) + 3 cos(3x)"));
        check_reads_back(&sum_of_sines);
        let longer_sum = sines.join("+");
        assert!(longer_sum.len() <= MAX_FORMULA_CHARS);
        assert!(
            quickly(&longer_sum).is_none(),
            "its slope is too long to be a formula"
        );
        let product_of_sines = sines.join("");
        assert!(
            quickly(&product_of_sines).is_none(),
            "900 product-rule terms"
        );
        let linear_factors: Vec<String> = (1..1200).map(|k| format!("(x+{})", k % 7)).collect();
        assert!(
            quickly(&linear_factors.join("")).is_some(),
            "seven bases, gathered"
        );
        let deep_sine = "sin(".repeat(199) + "x" + &")".repeat(199);
        let _ = quickly(&deep_sine);
        let tower = "x^".repeat(199) + "x";
        let _ = quickly(&tower);
        let minus = "-".repeat(198) + "x";
        assert_eq!(quickly(&minus).unwrap().text, "1");
        let nested_sum = "(x+".repeat(199) + "x" + &")".repeat(199);
        assert_eq!(quickly(&nested_sum).unwrap().text, "200");
        let nested_square = "(1+".repeat(199) + "x" + &")^2".repeat(199);
        let _ = quickly(&nested_square);
        let nested_abs = "abs(x-".repeat(199) + "x" + &")".repeat(199);
        let _ = quickly(&nested_abs);
        let nested_roots = "sqrt(1+".repeat(199) + "x" + &")".repeat(199);
        let _ = quickly(&nested_roots);
        let nested_halves = "(1+".repeat(199) + "x" + &")^0.5".repeat(199);
        let _ = quickly(&nested_halves);
    }
}
