import keras

model = keras.Sequential([
    keras.Input(shape=(5, 28, 28, 1)),
    keras.layers.TimeDistributed(keras.layers.Conv2D(8, 3, activation="relu")),
    keras.layers.TimeDistributed(keras.layers.MaxPooling2D(2)),
    keras.layers.TimeDistributed(keras.layers.Flatten()),
    keras.layers.LSTM(16, return_sequences=True),
    keras.layers.TimeDistributed(keras.layers.Dense(4)),
])
