import keras

left = keras.Input(shape=(4, 6), name="left")
input_layer = keras.Input(shape=(4, 6))
input_layer_1 = keras.Input(shape=(4, 6))
multiply = keras.layers.Multiply()([left, input_layer, input_layer_1])
maximum = keras.layers.Maximum()([left, input_layer])
minimum = keras.layers.Minimum()([input_layer, input_layer_1])
concatenate = keras.layers.Concatenate(axis=1)([multiply, maximum, minimum])
flatten = keras.layers.Flatten()(concatenate)
model = keras.Model(inputs=[left, input_layer, input_layer_1], outputs=flatten)
