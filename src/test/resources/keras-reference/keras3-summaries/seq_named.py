import keras

model = keras.Sequential([
    keras.Input(shape=(3,)),
    keras.layers.Dense(4, activation="tanh", name="hidden"),
    keras.layers.Dense(2, name="logits"),
    keras.layers.Activation("softmax"),
], name="classifier")
