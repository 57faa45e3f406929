import keras

input_layer = keras.Input(shape=(16,))
dense = keras.layers.Dense(8, activation="relu")(input_layer)
dense_1 = keras.layers.Dense(1)(dense)
model = keras.Model(inputs=input_layer, outputs=dense_1)
