//! Page quality: the regional monitoring score and its traffic light.

pub mod score;
