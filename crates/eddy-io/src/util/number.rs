//! Fixed-size numbers as bytes, in either byte order, for the `read_*` and `write_*` helpers.

/// The most bytes any supported number takes (`u128`).
pub(crate) const MAX_NUMBER_SIZE: usize = 16;

pub(crate) trait Number: Copy {
    const SIZE: usize;
    fn from_be_slice(bytes: &[u8]) -> Self;
    fn from_le_slice(bytes: &[u8]) -> Self;
    fn write_be(self, out: &mut [u8; MAX_NUMBER_SIZE]);
    fn write_le(self, out: &mut [u8; MAX_NUMBER_SIZE]);
}

macro_rules! number {
    ($($ty:ty),* $(,)?) => {$(
        impl Number for $ty {
            const SIZE: usize = std::mem::size_of::<$ty>();

            fn from_be_slice(bytes: &[u8]) -> Self {
                <$ty>::from_be_bytes(bytes.try_into().expect("slice has the number's size"))
            }

            fn from_le_slice(bytes: &[u8]) -> Self {
                <$ty>::from_le_bytes(bytes.try_into().expect("slice has the number's size"))
            }

            fn write_be(self, out: &mut [u8; MAX_NUMBER_SIZE]) {
                out[..Self::SIZE].copy_from_slice(&self.to_be_bytes());
            }

            fn write_le(self, out: &mut [u8; MAX_NUMBER_SIZE]) {
                out[..Self::SIZE].copy_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}

number!(u8, i8, u16, i16, u32, i32, u64, i64, u128, i128, f32, f64);
