import keras

model = keras.Sequential([
    keras.Input(shape=(100, 2)),
    keras.layers.Conv1D(16, 5, activation="relu"),
    keras.layers.MaxPooling1D(2),
    keras.layers.Conv1D(32, 3, strides=2, padding="same"),
    keras.layers.Conv1D(8, 2, padding="causal", dilation_rate=2),
    keras.layers.GlobalMaxPooling1D(),
    keras.layers.Dense(1),
])
