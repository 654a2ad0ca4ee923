use eddy_macros::select;

macro_rules! sixty_five_branches {
    ($($index:literal)*) => {
        select! { $( value = std::future::ready($index) => value, )* }
    };
}

async fn no_branch() {
    select! {}
}

async fn two_else() -> u8 {
    select! {
        value = std::future::ready(1) => value,
        else => 2,
        else => 3,
    }
}

async fn missing_comma() -> u8 {
    select! {
        value = std::future::ready(1) => value
        other = std::future::ready(2) => other,
    }
}

async fn too_many() -> u8 {
    sixty_five_branches!(
        0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32
        33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62
        63 64
    )
}

fn main() {
    let _ = (no_branch(), two_else(), missing_comma(), too_many());
}
