import keras

model = keras.Sequential([
    keras.Input(shape=(3, 32, 32)),
    keras.layers.Conv2D(16, 3, padding="same", data_format="channels_first"),
    keras.layers.MaxPooling2D(2, data_format="channels_first"),
    keras.layers.Conv2D(32, (3, 5), strides=2, data_format="channels_first", activation="relu"),
    keras.layers.AveragePooling2D(2, strides=1, data_format="channels_first"),
    keras.layers.Flatten(data_format="channels_first"),
    keras.layers.Dense(10),
])
