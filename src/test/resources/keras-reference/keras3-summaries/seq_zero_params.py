import keras

model = keras.Sequential([
    keras.Input(shape=(4, 4, 3)),
    keras.layers.Flatten(),
    keras.layers.Reshape((16, 3)),
    keras.layers.Masking(mask_value=-1.0),
    keras.layers.Dropout(0.1),
])
