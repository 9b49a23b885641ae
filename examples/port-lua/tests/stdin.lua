print(1+1)
squares = {} for i = 1, 10 do squares[#squares + 1] = i * i end
sum = 0 for _, v in ipairs(squares) do sum = sum + v end
print("sum of squares", sum)
