import keras

input_layer = keras.Input(shape=(10, 8), batch_size=4)
input_layer_1 = keras.Input(shape=(3,), batch_size=4)
gru = keras.layers.GRU(6, stateful=True)(input_layer)
concatenate = keras.layers.Concatenate()([gru, input_layer_1])
repeat_vector = keras.layers.RepeatVector(5)(concatenate)
time_distributed = keras.layers.TimeDistributed(keras.layers.Dense(2))(repeat_vector)
model = keras.Model(inputs=[input_layer, input_layer_1], outputs=time_distributed)
