import keras

model = keras.Sequential([
    keras.Input(shape=(20,)),
    keras.layers.Embedding(1000, 64, mask_zero=True),
    keras.layers.LSTM(32),
    keras.layers.Dense(1, activation="sigmoid"),
])
