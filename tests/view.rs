//! What is drawn describes the run: while the ball glides from one step to the next, the tangent, the chord
//! and every number beside them belong to the step's state, not to the ball's position in between.

mod headless;

use bevy::prelude::*;
use downhill::math::Curve;
use downhill::math::descent::Descent;
use downhill::sim::{LossCurve, Run};
use downhill::view::PlotArea;
use downhill::view::slope::ball::{Ball, Glide};
use downhill::view::slope::guides::{Guides, measure_guides};

#[test]
fn while_the_ball_glides_the_tangent_and_chord_describe_the_steps_state() {
    let mut app = headless::app(std::time::Duration::from_millis(16));
    let bowl_curve = Curve::builtins()[0].clone();
    let bowl = &*bowl_curve;
    assert_eq!(bowl.name, "bowl");
    app.init_resource::<PlotArea>()
        .init_resource::<Guides>()
        .add_systems(Update, measure_guides);
    // The bowl at lr 0.75: the run is at x = -0.0390625 (slope -0.078125) while the ball, a quarter of the
    // way through its glide from the previous x = 0.078125, is drawn where the slope is positive.
    app.insert_resource(LossCurve(bowl_curve.clone()));
    app.insert_resource(Run(Descent::new(bowl, -0.0390625)));
    app.world_mut().spawn((
        Ball,
        Glide {
            from: 0.078125,
            to: -0.0390625,
            elapsed: 0.05,
            duration: 0.4,
        },
    ));
    app.update();
    let guides = app.world().resource::<Guides>().0;
    assert_eq!(
        guides.slope,
        bowl.slope(-0.0390625),
        "the tangent's slope is f'(x) at the run's x"
    );
    let plot = app.world().resource::<PlotArea>();
    let at = plot.to_screen(-0.0390625, bowl.value(-0.0390625));
    assert!(
        guides.ball.distance(at) < 1e-3,
        "the guides meet at the run's point {at:?}, not the gliding ball ({:?})",
        guides.ball
    );
}
