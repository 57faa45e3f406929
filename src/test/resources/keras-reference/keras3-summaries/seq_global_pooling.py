import keras

model = keras.Sequential([
    keras.Input(shape=(16, 16, 8)),
    keras.layers.GlobalMaxPooling2D(keepdims=True),
    keras.layers.Reshape((8, 1)),
    keras.layers.GlobalAveragePooling1D(data_format="channels_first"),
    keras.layers.Dense(2),
])
