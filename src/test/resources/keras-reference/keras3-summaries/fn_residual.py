import keras

input_layer = keras.Input(shape=(32,))
dense = keras.layers.Dense(32, activation="relu")(input_layer)
dense_1 = keras.layers.Dense(32)(dense)
add = keras.layers.Add()([input_layer, dense_1])
dense_2 = keras.layers.Dense(4)(add)
model = keras.Model(inputs=input_layer, outputs=dense_2)
