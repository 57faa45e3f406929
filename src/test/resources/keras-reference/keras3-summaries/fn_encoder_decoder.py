import keras

input_layer = keras.Input(shape=(None, 8))
input_layer_1 = keras.Input(shape=(None, 4))
lstm, lstm_h, lstm_c = keras.layers.LSTM(16, return_state=True)(input_layer)
lstm_1 = keras.layers.LSTM(16, return_sequences=True)(input_layer_1, initial_state=[lstm_h, lstm_c])
gru, gru_h = keras.layers.GRU(8, return_state=True)(lstm_1)
dense = keras.layers.Dense(4, activation="softmax")(gru)
model = keras.Model(inputs=[input_layer, input_layer_1], outputs=[dense, gru_h])
