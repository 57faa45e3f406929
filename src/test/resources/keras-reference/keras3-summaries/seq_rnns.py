import keras

model = keras.Sequential([
    keras.Input(shape=(None, 8)),
    keras.layers.SimpleRNN(16, return_sequences=True),
    keras.layers.GRU(16, return_sequences=True, go_backwards=True),
    keras.layers.GRU(12, activation="relu", return_sequences=True, reset_after=False),
    keras.layers.LSTM(8, recurrent_activation="hard_sigmoid", use_bias=False, unit_forget_bias=False),
])
