//! Pure f64 maths of the lesson: curves, finite differences, gradient descent, axis ticks. No Bevy here.

pub mod clip;
pub mod colour;
pub mod contour;
pub mod curve;
pub mod descent;
pub mod difference;
pub mod formula;
pub mod minibatch;
pub mod optimizer;
pub mod predict;
pub mod regression;
pub mod runaway;
pub mod slope_curve;
pub mod stability;
pub mod symbolic;
pub mod ticks;
pub mod zoom;

pub use curve::Curve;
pub use descent::{Descent, RunStatus, StepRecord};
pub use difference::{Scheme, backward_difference, central_difference, forward_difference};
