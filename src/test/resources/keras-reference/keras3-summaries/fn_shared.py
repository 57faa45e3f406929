import keras

input_layer = keras.Input(shape=(8,))
input_layer_1 = keras.Input(shape=(8,))
shared = keras.layers.Dense(16, activation="relu", name="shared")
shared_out = shared(input_layer)
shared_out_1 = shared(input_layer_1)
subtract = keras.layers.Subtract()([shared_out, shared_out_1])
dot = keras.layers.Dot(1, normalize=True)([shared_out, shared_out_1])
concatenate = keras.layers.Concatenate()([subtract, dot])
dense = keras.layers.Dense(1)(concatenate)
model = keras.Model(inputs=[input_layer, input_layer_1], outputs=dense, name="siamese")
