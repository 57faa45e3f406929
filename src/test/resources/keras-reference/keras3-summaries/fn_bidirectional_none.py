import keras

input_layer = keras.Input(shape=(10, 8))
bidirectional_forward, bidirectional_backward = keras.layers.Bidirectional(keras.layers.LSTM(8, return_sequences=True), merge_mode=None)(input_layer)
average = keras.layers.Average()([bidirectional_forward, bidirectional_backward])
bidirectional_1, bidirectional_1_forward_h, bidirectional_1_backward_h = keras.layers.Bidirectional(keras.layers.GRU(4, return_state=True))(average)
dense = keras.layers.Dense(1)(bidirectional_1)
model = keras.Model(inputs=input_layer, outputs=[dense, bidirectional_1_forward_h, bidirectional_1_backward_h])
