import keras

model = keras.Sequential([
    keras.Input(shape=(None, 4)),
    keras.layers.Masking(),
    keras.layers.Bidirectional(keras.layers.LSTM(16, return_sequences=True)),
    keras.layers.Bidirectional(keras.layers.GRU(8), merge_mode="sum"),
    keras.layers.RepeatVector(3),
    keras.layers.LSTM(4, return_sequences=True),
])
