import keras

input_layer = keras.Input(shape=(64,))
dense = keras.layers.Dense(32, activation="relu")(input_layer)
class_out = keras.layers.Dense(10, activation="softmax", name="class_out")(dense)
score_out = keras.layers.Dense(1, name="score_out")(dense)
model = keras.Model(inputs=input_layer, outputs=[class_out, score_out])
