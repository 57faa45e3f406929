import keras

model = keras.Sequential([
    keras.Input(shape=(10, 8), batch_size=32),
    keras.layers.LSTM(16, return_sequences=True, stateful=True),
    keras.layers.LSTM(8, stateful=True),
    keras.layers.Dense(1),
])
