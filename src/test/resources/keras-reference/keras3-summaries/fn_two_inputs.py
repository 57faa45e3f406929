import keras

input_layer = keras.Input(shape=(10,))
input_layer_1 = keras.Input(shape=(None, 8))
dense = keras.layers.Dense(16, activation="relu")(input_layer)
lstm = keras.layers.LSTM(16)(input_layer_1)
concatenate = keras.layers.Concatenate()([dense, lstm])
dense_1 = keras.layers.Dense(1)(concatenate)
model = keras.Model(inputs=[input_layer, input_layer_1], outputs=dense_1)
